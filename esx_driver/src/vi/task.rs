//! The one task runner: starts a `*_Task` method and waits for its task (one read when it is
//! already done, else a private PropertyCollector and WaitForUpdatesEx), with questions, progress,
//! cancel and a deadline.

use super::Client;
use super::error::{Error, ErrorKind, Fault, Result};
use super::methods::{AnswerVM, CancelTask, Method};
use super::node::Node;
use super::property::FilterSpec;
use super::soap::MoRef;
use super::types::{FromNode, vim_type};
use std::time::{Duration, Instant};

/// Server-side wait of one WaitForUpdatesEx, well below the HTTP call timeout.
const POLL_SECONDS: u64 = 50;
const QUESTION: &str = "runtime.question";

vim_type!(ChoiceOption {
    key: String = "key",
    label: String = "label",
});

vim_type!(Question {
    id: String = "id",
    text: String = "text",
    choices: Vec<ChoiceOption> = "choice.choiceInfo",
    default_index: Option<i32> = "choice.defaultIndex",
});

/// What the caller's policy does with a VM question that blocks the task.
pub enum Answer {
    /// Answer with this choice key and keep waiting.
    Choice(String),
    /// Cancel the task and fail with this text.
    Refuse(String),
}

/// How to wait.
pub struct TaskOptions<'a> {
    pub timeout: Duration,
    /// The VM whose questions may block the task; `None` watches no questions.
    pub vm: Option<&'a MoRef>,
    pub on_question: &'a dyn Fn(&Question) -> Answer,
    /// Called with `info.progress` (percent) as it changes.
    pub on_progress: Option<&'a dyn Fn(i32)>,
}

/// Where a task stands, from a read or from accumulated updates.
#[derive(Default)]
struct TaskState {
    state: String,
    /// How far the task says it got (`info.progress`, percent), for a timeout's message.
    progress: Option<i32>,
    error: Option<Node>,
    result: Option<Node>,
    question: Option<Question>,
}

impl TaskState {
    fn apply(&mut self, path: &str, val: Option<&Node>, opts: &TaskOptions) {
        match path {
            "info.state" => self.state = val.map(|v| v.text.trim().to_string()).unwrap_or_default(),
            "info.error" => self.error = val.cloned(),
            "info.result" => self.result = val.cloned(),
            "info.progress" => {
                self.progress = val.and_then(i32::from_node);
                if let (Some(report), Some(p)) = (opts.on_progress, self.progress) {
                    report(p);
                }
            }
            QUESTION => self.question = val.and_then(Question::from_node),
            _ => {}
        }
    }

    fn finished(&self) -> bool {
        self.state == "success" || self.state == "error"
    }
}

/// What a task wait watches; the progress even unasked, as a task that outlives its timeout is
/// reported with it.
const TASK_PATHS: &[&str] = &["info.state", "info.error", "info.result", "info.progress"];

impl Client {
    /// Starts a `*_Task` method; returns its task.
    pub fn start_task<M: Method>(&self, m: &M) -> Result<MoRef> {
        let req = m.request();
        let method = req.method();
        let resp = self.call(&req)?;
        resp.child("returnval")
            .and_then(MoRef::from_node)
            .ok_or_else(|| Error::protocol(format!("{method} returned no task")))
    }

    /// Starts a `*_Task` method and waits for its task; returns the task's result.
    pub fn run_task<M: Method>(&self, m: &M, opts: &TaskOptions) -> Result<Option<Node>> {
        let method = m.name();
        let task = self.start_task(m)?;
        self.wait_task(method, &task, opts)
    }

    /// Waits for `task` (started by `method`); returns its result value.
    pub fn wait_task(
        &self,
        method: &str,
        task: &MoRef,
        opts: &TaskOptions,
    ) -> Result<Option<Node>> {
        let deadline = Instant::now() + opts.timeout;
        // A server that restarted knows no task from before: say so, not just "not found".
        let lost = |e: Error| match e.is_fault(&Fault::ManagedObjectNotFound) {
            true => Error::new(
                e.kind.clone(),
                format!(
                    "{method} (task {}) is no longer known to the server, which may have \
                     restarted; whether it finished is unknown ({})",
                    task.value, e.detail
                ),
            ),
            false => e,
        };
        let paths = TASK_PATHS;
        let mut specs = vec![FilterSpec::object(task.clone(), paths)];
        if let Some(vm) = opts.vm {
            specs.push(FilterSpec::object(vm.clone(), &[QUESTION]));
        }
        // Most tasks on a quiet host are done by the time we look: one read settles them.
        let mut st = TaskState::default();
        for oc in self.retrieve_all(&specs).map_err(lost)? {
            let read: &[&str] = if oc.obj == *task { paths } else { &[QUESTION] };
            for path in read {
                match *path {
                    "info.result" => st.apply(path, result_of(&oc.props).as_ref(), opts),
                    _ => st.apply(path, oc.props.path(path), opts),
                }
            }
        }
        if !st.finished() {
            self.poll_until_done(method, task, opts, &specs, &mut st, deadline)
                .map_err(lost)?;
        }
        if st.state == "error" {
            return Err(task_error(method, st.error.as_ref()));
        }
        Ok(st.result)
    }

    fn poll_until_done(
        &self,
        method: &str,
        task: &MoRef,
        opts: &TaskOptions,
        specs: &[FilterSpec],
        st: &mut TaskState,
        deadline: Instant,
    ) -> Result<()> {
        let mut watch = self.watch(specs)?;
        let result = (|| loop {
            if let Some(q) = st.question.take() {
                self.handle_question(task, opts, &q)?;
            }
            if st.finished() {
                return Ok(());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.cancel_task(task);
                let got = match st.progress {
                    Some(p) => format!("{p}% done"),
                    None => "no progress reported".to_string(),
                };
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{method} (task {}) did not finish within {} s: {}, {got}; the task was \
                         cancelled",
                        task.value,
                        opts.timeout.as_secs(),
                        if st.state.is_empty() {
                            "state unknown"
                        } else {
                            st.state.as_str()
                        }
                    ),
                ));
            }
            let wait = left.min(Duration::from_secs(POLL_SECONDS));
            for update in self.next_updates(&mut watch, wait)? {
                for change in &update.change_set {
                    st.apply(change.name.trim(), change.val.as_ref(), opts);
                }
            }
        })();
        self.end_watch(watch);
        result
    }

    fn handle_question(&self, task: &MoRef, opts: &TaskOptions, q: &Question) -> Result<()> {
        match ((opts.on_question)(q), opts.vm) {
            (Answer::Choice(key), Some(vm)) => {
                self.invoke(&AnswerVM {
                    this: vm.clone(),
                    question_id: q.id.clone(),
                    answer_choice: key,
                })?;
                Ok(())
            }
            // Questions are only watched on a VM.
            (Answer::Choice(_), None) => Ok(()),
            (Answer::Refuse(text), _) => {
                self.cancel_task(task);
                Err(Error::new(ErrorKind::Question, text))
            }
        }
    }

    /// Asks the server to cancel a task; whether it can is its business.
    pub fn cancel_task(&self, task: &MoRef) {
        let _ = self.invoke(&CancelTask { this: task.clone() });
    }
}

/// A failed task's LocalizedMethodFault: the type of `info.error.fault`, and its message.
/// A task's `info.result` from a folded read: an array result comes folded into repeated
/// `result` elements, which are gathered again under one `ArrayOf…` node (as an update
/// delivers it), so that no item but the first is lost.
fn result_of(props: &Node) -> Option<Node> {
    let mut all = props.child("info")?.children_named("result");
    let first = all.next()?;
    let rest: Vec<&Node> = all.collect();
    if rest.is_empty() {
        return Some(first.clone());
    }
    Some(Node {
        name: "result".into(),
        xsi_type: Some(format!("ArrayOf{}", first.xsi_type.as_deref().unwrap_or("AnyType")).into()),
        children: std::iter::once(first).chain(rest).cloned().collect(),
        ..Node::default()
    })
}

/// The items of a result that may be an array (`ArrayOf…`) or one value.
pub fn result_items(result: &Node) -> Vec<&Node> {
    match result.xsi_type.as_deref() {
        Some(t) if t.starts_with("ArrayOf") => result.children.iter().collect(),
        _ => vec![result],
    }
}

fn task_error(method: &str, error: Option<&Node>) -> Error {
    let fault = error
        .and_then(|e| e.child("fault"))
        .and_then(|f| f.xsi_type.as_deref())
        .map(Fault::from_type)
        .unwrap_or_else(|| Fault::Other("UnknownFault".into()));
    let text = error
        .and_then(|e| e.text_at("localizedMessage"))
        .unwrap_or("")
        .trim();
    Error::fault(method, fault, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_task_is_typed_by_its_fault() {
        let n = crate::vi::node::parse(
            "<val xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>\
             <fault xsi:type='FileNotFound'/><localizedMessage> gone </localizedMessage></val>",
        )
        .unwrap();
        let e = task_error("DeleteDatastoreFile_Task", Some(&n));
        assert!(e.is_fault(&Fault::FileNotFound));
        assert_eq!(
            e.detail,
            "DeleteDatastoreFile_Task failed: FileNotFound - gone"
        );
        let e = task_error("X", None);
        assert_eq!(e.detail, "X failed: UnknownFault");
    }
}
