//! Waiting for vSphere tasks: one read when the task is already done, else a property filter
//! and WaitForUpdatesEx long polls, answering or reporting VM questions on the way.

use super::connection::{Connection, Endpoint};
use crate::error::{Code, Error, Result};
use crate::vi::property::FilterSpec;
use crate::vi::soap::Request;
use crate::vi::types::{FromNode, vim_type};
use crate::vi::{self, Fault, MoRef, Node};
use std::time::{Duration, Instant};

/// Default bound of one task; `task_timeout=` in the URI overrides it.
const DEFAULT_TASK_TIMEOUT: Duration = Duration::from_secs(3600);
/// Server-side wait of one WaitForUpdatesEx, well below the HTTP call timeout.
const POLL_SECONDS: u64 = 50;

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

/// Where a task stands, from a read or from accumulated updates.
#[derive(Default)]
struct TaskState {
    state: String,
    error: Option<Node>,
    result: Option<Node>,
    question: Option<Question>,
}

impl TaskState {
    fn apply(&mut self, path: &str, val: Option<&Node>) {
        match path {
            "info.state" => self.state = val.map(|v| v.text.trim().to_string()).unwrap_or_default(),
            "info.error" => self.error = val.cloned(),
            "info.result" => self.result = val.cloned(),
            "runtime.question" => self.question = val.and_then(Question::from_node),
            _ => {}
        }
    }

    fn finished(&self) -> bool {
        self.state == "success" || self.state == "error"
    }
}

const TASK_PATHS: &[&str] = &["info.state", "info.error", "info.result"];

impl Connection {
    /// Calls a `*_Task` method on `ep` and waits for the task it starts; returns its result.
    pub fn run_task(
        &self,
        ep: &Endpoint,
        req: &Request,
        vm: Option<&MoRef>,
    ) -> Result<Option<Node>> {
        let method = req.method();
        let task = ep
            .client
            .call(req)?
            .child("returnval")
            .and_then(MoRef::from_node)
            .ok_or_else(|| Error::internal(format!("{method} returned no task")))?;
        self.wait_task(ep, method, &task, vm)
    }

    /// Waits for `task` (started by `method`) on `ep`; returns the task's result value.
    pub fn wait_task(
        &self,
        ep: &Endpoint,
        method: &str,
        task: &MoRef,
        vm: Option<&MoRef>,
    ) -> Result<Option<Node>> {
        let client = &ep.client;
        let deadline = Instant::now()
            + self
                .spec
                .task_timeout
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_TASK_TIMEOUT);
        let mut specs = vec![FilterSpec::object(task.clone(), TASK_PATHS)];
        if let Some(vm) = vm {
            specs.push(FilterSpec::object(vm.clone(), &["runtime.question"]));
        }
        // Most tasks on a quiet host are done by the time we look: one read settles them.
        let mut st = TaskState::default();
        for oc in client.retrieve_all(&specs)? {
            let paths: &[&str] = if oc.obj == *task {
                TASK_PATHS
            } else {
                &["runtime.question"]
            };
            for path in paths {
                st.apply(path, oc.props.path(path));
            }
        }
        if !st.finished() {
            self.poll_until_done(ep, method, task, vm, &specs, &mut st, deadline)?;
        }
        if st.state == "error" {
            return Err(task_error(method, st.error.as_ref()));
        }
        Ok(st.result)
    }

    #[allow(clippy::too_many_arguments)]
    fn poll_until_done(
        &self,
        ep: &Endpoint,
        method: &str,
        task: &MoRef,
        vm: Option<&MoRef>,
        specs: &[FilterSpec],
        st: &mut TaskState,
        deadline: Instant,
    ) -> Result<()> {
        let client = &ep.client;
        let collector = client.content().property_collector.clone().ok_or_else(|| {
            Error::internal("The server has no property collector to wait for tasks with")
        })?;
        let create = Request::new("CreatePropertyCollector", &collector);
        // A private collector: WaitForUpdatesEx must not run concurrently on one collector,
        // and connections are shared between threads.
        let pc = client
            .call(&create)?
            .child("returnval")
            .and_then(MoRef::from_node)
            .ok_or_else(|| Error::internal("CreatePropertyCollector returned nothing"))?;
        let result = (|| {
            for spec in specs {
                client.invoke(&crate::vi::methods::CreateFilter {
                    this: pc.clone(),
                    spec: spec.to_spec(),
                    partial_updates: false,
                })?;
            }
            let mut version = String::new();
            loop {
                if let Some(q) = st.question.take() {
                    self.handle_question(ep, task, vm, &q)?;
                }
                if st.finished() {
                    return Ok(());
                }
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    cancel(ep, task);
                    return Err(Error::esx(
                        Code::OperationTimeout,
                        format!("{method} did not finish in time; the task was cancelled"),
                    ));
                }
                let mut wait = Request::new("WaitForUpdatesEx", &pc);
                wait.text("version", &version)
                    .open("options", None)
                    .text(
                        "maxWaitSeconds",
                        &left.as_secs().clamp(1, POLL_SECONDS).to_string(),
                    )
                    .close("options");
                let resp = client.call(&wait)?;
                let Some(set) = resp.child("returnval") else {
                    continue; // the wait timed out on the server: ask again
                };
                version = set
                    .text_at("version")
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                for fs in set.children_named("filterSet") {
                    for os in fs.children_named("objectSet") {
                        for change in os.children_named("changeSet") {
                            let name = change.text_at("name").unwrap_or_default().trim();
                            st.apply(name, change.child("val"));
                        }
                    }
                }
            }
        })();
        let destroy = Request::new("DestroyPropertyCollector", &pc);
        let _ = client.call(&destroy);
        result
    }

    /// `auto_answer=1` picks the question's default choice; otherwise the question is the error
    /// and the task is cancelled.
    fn handle_question(
        &self,
        ep: &Endpoint,
        task: &MoRef,
        vm: Option<&MoRef>,
        q: &Question,
    ) -> Result<()> {
        let answers = q
            .choices
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let default = q
            .default_index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| q.choices.get(i));
        match (self.spec.auto_answer, default, vm) {
            (true, Some(choice), Some(vm)) => {
                let mut req = Request::new("AnswerVM", vm);
                req.text("questionId", &q.id)
                    .text("answerChoice", &choice.key);
                ep.client.call(&req)?;
                Ok(())
            }
            (true, None, _) => {
                cancel(ep, task);
                Err(Error::internal(format!(
                    "Pending question blocks virtual machine execution, question is '{}', \
                     no default answer is available",
                    q.text
                )))
            }
            _ => {
                cancel(ep, task);
                Err(Error::internal(format!(
                    "Pending question blocks virtual machine execution, question is '{}', \
                     possible answers are {answers}; connect with ?auto_answer=1 to take the default",
                    q.text
                )))
            }
        }
    }
}

fn cancel(ep: &Endpoint, task: &MoRef) {
    let _ = ep.client.call(&Request::new("CancelTask", task));
}

/// A failed task's LocalizedMethodFault as a libvirt error: fault type and message kept.
fn task_error(method: &str, error: Option<&Node>) -> Error {
    let kind = error
        .and_then(|e| e.child("fault"))
        .and_then(|f| f.xsi_type.clone())
        .map(|t| Fault::from_type(&t))
        .unwrap_or_else(|| Fault::Other("UnknownFault".into()));
    let text = error
        .and_then(|e| e.text_at("localizedMessage"))
        .unwrap_or("")
        .trim()
        .to_string();
    vi::Error::fault(method, kind, &text).into()
}
