//! The driver's task policy over vi's one task runner: how long a task may take
//! (`task_timeout=`) and what a VM question gets (`auto_answer=1` takes its default choice).

use crate::driver::connection::{Connection, Endpoint};
use crate::error::Result;
use crate::vi::task::{Answer, Question, TaskOptions};
use crate::vi::{self, Method, MoRef, Node};
use std::time::Duration;

/// Default bound of one task; `task_timeout=` in the URI overrides it.
const DEFAULT_TASK_TIMEOUT: Duration = Duration::from_secs(3600);

impl Connection {
    /// Calls a `*_Task` method on `ep` and waits for the task it starts; returns its result.
    /// `vm` is the VM whose questions may block the task.
    pub(crate) fn run_task(
        &self,
        ep: &Endpoint,
        call: &impl Method,
        vm: Option<&MoRef>,
    ) -> Result<Option<Node>> {
        Ok(self.run_task_vi(ep, call, vm)?)
    }

    /// As `run_task`, with vSphere's own error, for callers that act on the fault type.
    pub(crate) fn run_task_vi(
        &self,
        ep: &Endpoint,
        call: &impl Method,
        vm: Option<&MoRef>,
    ) -> vi::Result<Option<Node>> {
        self.with_task_options(vm, |opts| ep.client.run_task(call, opts))
    }

    /// Waits for `task` (started by `method`) on `ep`; returns the task's result value.
    pub fn wait_task(
        &self,
        ep: &Endpoint,
        method: &str,
        task: &MoRef,
        vm: Option<&MoRef>,
    ) -> Result<Option<Node>> {
        Ok(self.with_task_options(vm, |opts| ep.client.wait_task(method, task, opts))?)
    }

    fn with_task_options<T>(
        &self,
        vm: Option<&MoRef>,
        run: impl FnOnce(&TaskOptions) -> vi::Result<T>,
    ) -> vi::Result<T> {
        let answer = |q: &Question| self.answer(q);
        let opts = TaskOptions {
            timeout: self
                .spec
                .task_timeout
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_TASK_TIMEOUT),
            vm,
            on_question: &answer,
            on_progress: None,
        };
        run(&opts)
    }

    /// `auto_answer=1` picks the question's default choice; otherwise the question is the error
    /// (and the runner cancels the task).
    fn answer(&self, q: &Question) -> Answer {
        let default = q
            .default_index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| q.choices.get(i));
        match (self.spec.auto_answer, default) {
            (true, Some(choice)) => Answer::Choice(choice.key.clone()),
            (true, None) => Answer::Refuse(format!(
                "Pending question blocks virtual machine execution, question is '{}', \
                 no default answer is available",
                q.text
            )),
            (false, _) => {
                let answers = q
                    .choices
                    .iter()
                    .map(|c| c.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                Answer::Refuse(format!(
                    "Pending question blocks virtual machine execution, question is '{}', \
                     possible answers are {answers}; connect with ?auto_answer=1 to take the default",
                    q.text
                ))
            }
        }
    }
}
