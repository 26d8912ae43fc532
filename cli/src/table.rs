//! virsh's tables (`list`, and the other listings as they come): a header, a rule of dashes
//! and rows, each column as wide as its widest cell, the last one unpadded.

/// A table's text, as virsh prints it (with `quiet`, the rows alone, as wide as they need).
pub fn render(header: &[&str], rows: &[Vec<String>], quiet: bool) -> String {
    let mut widths: Vec<usize> = match quiet {
        true => vec![0; header.len()],
        false => header.iter().map(|h| h.chars().count()).collect(),
    };
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        let last = cells.len().saturating_sub(1);
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            s.push_str(cell);
            if i < last {
                let pad = w - cell.chars().count();
                s.extend(std::iter::repeat_n(' ', pad + 3));
            }
        }
        s.push('\n');
        s
    };
    let mut out = String::new();
    if !quiet {
        out.push_str(&line(header.to_vec()));
        let rule: usize = widths.iter().sum::<usize>() + 3 * widths.len();
        out.extend(std::iter::repeat_n('-', rule));
        out.push('\n');
    }
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn columns_rule_and_unpadded_last_cell() {
        let rows = vec![
            vec![
                "9".to_string(),
                "ha-host_VM0".into(),
                "running".into(),
                "".into(),
            ],
            vec!["-".to_string(), "b".into(), "shut off".into(), "t".into()],
        ];
        assert_eq!(
            render(&["Id", "Name", "State", "Title"], &rows, false),
            " Id   Name          State      Title\n\
             --------------------------------------\n \
             9    ha-host_VM0   running    \n \
             -    b             shut off   t\n"
        );
        assert_eq!(
            render(&["Id", "Name", "State"], &[], false),
            " Id   Name   State\n--------------------\n"
        );
    }
}
