//! xsd:dateTime values (`2026-12-01T17:23:54.123Z`, `…+01:00`, or without a zone, which
//! vSphere means as UTC) as seconds since the Unix epoch, as libvirt's ESX driver converts them,
//! and back (for the times this library sends, such as QueryPerf's start).

/// Seconds since 1970-01-01T00:00:00Z; `None` for anything that is not a dateTime.
pub fn epoch_seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once('T')?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    // The zone: Z, +hh:mm or -hh:mm after the time (none means UTC).
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(at) => (&time[..at], zone_offset(&time[at..])?),
        None => (time, 0),
    };
    let mut c = clock.splitn(3, ':');
    let hour: i64 = c.next()?.parse().ok()?;
    let minute: i64 = c.next()?.parse().ok()?;
    let seconds = c.next()?;
    let second: i64 = seconds.split('.').next()?.parse().ok()?;
    let in_range = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..=24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..=60).contains(&second);
    if !in_range {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

fn zone_offset(zone: &str) -> Option<i64> {
    if zone == "Z" {
        return Some(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let (h, m) = zone[1..].split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// well-known algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch as an xsd:dateTime in UTC (`2026-12-01T17:23:54Z`).
pub fn format_epoch(seconds: i64) -> String {
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// The inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_fractions_are_honoured() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            epoch_seconds("2026-12-01T17:23:54.123456Z"),
            Some(1_796_145_834)
        );
        assert_eq!(
            epoch_seconds("2026-12-01T18:23:54+01:00"),
            Some(1_796_145_834)
        );
        assert_eq!(
            epoch_seconds("2026-12-01T16:53:54-00:30"),
            Some(1_796_145_834)
        );
        assert_eq!(epoch_seconds("2026-12-01T17:23:54"), Some(1_796_145_834));
        assert_eq!(epoch_seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(epoch_seconds("1969-12-31T23:59:59Z"), Some(-1));
        for bad in [
            "",
            "2026-12-01",
            "2026-13-01T00:00:00Z",
            "x-1-1T0:0:0",
            "2026-12-01T17:23",
        ] {
            assert_eq!(epoch_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn formatting_reads_back() {
        assert_eq!(format_epoch(1_796_145_834), "2026-12-01T17:23:54Z");
        assert_eq!(format_epoch(-1), "1969-12-31T23:59:59Z");
        for t in [0, 951_782_400, 4_102_444_800, -86_400 * 365 * 300] {
            assert_eq!(epoch_seconds(&format_epoch(t)), Some(t));
        }
    }
}
