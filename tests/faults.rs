//! What the simulator cannot do, injected between it and the library: paged reads, VM questions
//! during a task (answered with auto_answer=1, else reported and the task cancelled), failed
//! tasks, SOAP faults, dropped connections, slow and malformed answers.

mod common;

use common::injector::{Action, Injector};
use common::{Creds, Sim, dom};
use esx_driver::testing::Listing;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use virt_esx::Code;
use virt_esx::abi::flags::ListDomainsFlags;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Domain;
use virt_esx::driver::domain::power::PowerOp;

/// An ESX simulator behind an injector, and a connection through it.
fn setup(query: &str) -> (Sim, Injector, Arc<Connection>) {
    let sim = Sim::start(&["-mode", "esx", "-http", "-vms", "5"]);
    let inj = Injector::start(&sim.addr);
    let conn = inj.open(&format!("/{query}"));
    (sim, inj, conn)
}

/// The `<objects>…</objects>` elements of a RetrievePropertiesEx answer.
fn objects(body: &str) -> Vec<String> {
    body.split("<objects>")
        .skip(1)
        .map(|o| format!("<objects>{}", &o[..o.find("</objects>").unwrap() + 10]))
        .collect()
}

#[test]
fn paged_reads_are_followed_to_the_end() {
    let (_sim, inj, conn) = setup("");
    let rest = Arc::new(Mutex::new(String::new()));
    let keep = rest.clone();
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Rewrite(Box::new(move |body| {
            let objs = objects(body);
            *keep.lock().unwrap() = objs[2..].concat();
            let head = &body[..body.find("<objects>").unwrap()];
            let tail = &body[body.rfind("</objects>").unwrap() + 10..];
            format!("{head}{}<token>page2</token>{tail}", objs[..2].concat())
        })),
    );
    let more = rest.clone();
    inj.add(
        "ContinueRetrievePropertiesEx",
        1,
        Action::Reply(Box::new(move || {
            format!("<returnval>{}</returnval>", more.lock().unwrap())
        })),
    );
    let before = conn.round_trips();
    let vms = conn.list_all_domains(ListDomainsFlags::empty()).unwrap();
    assert_eq!(vms.len(), 5);
    assert_eq!(conn.round_trips() - before, 2);
    assert!(inj.bodies("ContinueRetrievePropertiesEx")[0].contains("<token>page2</token>"));
}

/// Answers the first task read after PowerOnVM_Task with "running" and a pending question.
fn ask_question_on_power_on(inj: &Injector, vm_moref: &str) {
    let task = Arc::new(Mutex::new(String::new()));
    let seen = task.clone();
    inj.add(
        "PowerOnVM_Task",
        1,
        Action::Rewrite(Box::new(move |body| {
            let start = body.find("<returnval").unwrap();
            let value = &body
                [body[start..].find('>').unwrap() + start + 1..body.find("</returnval>").unwrap()];
            *seen.lock().unwrap() = value.to_string();
            body.to_string()
        })),
    );
    let vm = vm_moref.to_string();
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Reply(Box::new(move || {
            format!(
                "<returnval><objects><obj type=\"Task\">{}</obj><propSet><name>info.state</name>\
                 <val xsi:type=\"TaskInfoState\">running</val></propSet></objects>\
                 <objects><obj type=\"VirtualMachine\">{vm}</obj><propSet><name>runtime.question</name>\
                 <val xsi:type=\"VirtualMachineQuestionInfo\"><id>q-7</id><text>Did you move or copy it?</text>\
                 <choice><choiceInfo xsi:type=\"ElementDescription\"><label>Cancel</label><summary>Cancel</summary><key>0</key></choiceInfo>\
                 <choiceInfo xsi:type=\"ElementDescription\"><label>I moved it</label><summary>moved</summary><key>1</key></choiceInfo>\
                 <choiceInfo xsi:type=\"ElementDescription\"><label>I copied it</label><summary>copied</summary><key>2</key></choiceInfo>\
                 <defaultIndex>1</defaultIndex></choice></val></propSet></objects></returnval>",
                task.lock().unwrap()
            )
        })),
    );
}

#[test]
fn questions_are_answered_with_auto_answer() {
    let (_sim, inj, conn) = setup("?auto_answer=1");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    ask_question_on_power_on(&inj, &vm.moref.value);
    inj.add("AnswerVM", 1, Action::Reply(Box::new(String::new)));
    dom(&conn, &vm).power(PowerOp::Start).unwrap();
    let answers = inj.bodies("AnswerVM");
    assert_eq!(answers.len(), 1);
    assert!(
        answers[0].contains("<questionId>q-7</questionId>"),
        "{}",
        answers[0]
    );
    assert!(
        answers[0].contains("<answerChoice>1</answerChoice>"),
        "{}",
        answers[0]
    );
    assert!(inj.seen().contains(&"WaitForUpdatesEx".to_string()));
    assert!(inj.seen().contains(&"DestroyPropertyCollector".to_string()));
}

#[test]
fn questions_without_auto_answer_are_reported_and_the_task_cancelled() {
    let (_sim, inj, conn) = setup("");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    ask_question_on_power_on(&inj, &vm.moref.value);
    let e = dom(&conn, &vm).power(PowerOp::Start).unwrap_err();
    let msg = e.message();
    assert!(msg.contains("Did you move or copy it?"), "{msg}");
    assert!(
        msg.contains("I moved it, I copied it") || msg.contains("Cancel, I moved it"),
        "{msg}"
    );
    assert!(msg.contains("auto_answer=1"), "{msg}");
    assert!(inj.seen().contains(&"CancelTask".to_string()));
    assert!(inj.bodies("AnswerVM").is_empty());
}

#[test]
fn failed_tasks_report_the_fault() {
    let (_sim, inj, conn) = setup("");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Rewrite(Box::new(|body| {
            body.replace(
                ">success<",
                ">error<",
            )
            .replace(
                "<name>info.state</name>",
                "<name>info.error</name><val xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\"InsufficientResourcesFault\"></fault>\
                 <localizedMessage>Insufficient memory resources.</localizedMessage></val></propSet><propSet><name>info.state</name>",
            )
        })),
    );
    let e = dom(&conn, &vm).power(PowerOp::Suspend).unwrap_err();
    assert!(e.message().contains("InsufficientResourcesFault"), "{e}");
    assert!(
        e.message().contains("Insufficient memory resources."),
        "{e}"
    );
}

#[test]
fn soap_faults_map_to_libvirt_codes() {
    let (_sim, inj, conn) = setup("");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    inj.add(
        "PowerOffVM_Task",
        1,
        Action::Fault(
            "InvalidPowerState",
            "The attempted operation cannot be performed in the current state.",
        ),
    );
    let e = dom(&conn, &vm).power(PowerOp::Destroy).unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Fault(
            "NoPermission",
            "Permission to perform this operation was denied.",
        ),
    );
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::OperationDenied, "{e}");
}

#[test]
fn drops_slow_and_malformed_answers_are_errors_then_recover() {
    let (_sim, inj, conn) = setup("");
    // A read dropped is sent again (at once: the server may close a kept-alive connection
    // just as it is reused; then after growing pauses), up to four times; dropped five times
    // in a row, it fails.
    inj.add("RetrievePropertiesEx", 4, Action::Drop);
    assert!(
        !conn
            .list_all_domains(ListDomainsFlags::empty())
            .unwrap()
            .is_empty()
    );
    inj.add("RetrievePropertiesEx", 5, Action::Drop);
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::InternalError, "{e}");
    assert_eq!(
        conn.list_all_domains(ListDomainsFlags::empty())
            .unwrap()
            .len(),
        5
    );

    for garbage in ["<not xml", "{\"json\": true}", "", "<soapenv:Envelope/>"] {
        let g = garbage.to_string();
        inj.add(
            "RetrievePropertiesEx",
            1,
            Action::Rewrite(Box::new(move |_| g.clone())),
        );
        let e = conn
            .list_all_domains(ListDomainsFlags::empty())
            .unwrap_err();
        assert_eq!(e.code, Code::InternalError, "{garbage:?}: {e}");
    }
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Delay(Duration::from_millis(300)),
    );
    assert_eq!(
        conn.list_all_domains(ListDomainsFlags::empty())
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn an_expired_session_mid_task_logs_in_again() {
    let (_sim, inj, conn) = setup("");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    inj.add(
        "PowerOffVM_Task",
        1,
        Action::Fault("NotAuthenticated", "The session is not authenticated."),
    );
    dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let seen = inj.seen();
    let i = seen.iter().position(|m| m == "PowerOffVM_Task").unwrap();
    assert_eq!(
        &seen[i + 1..i + 3],
        &["Login".to_string(), "PowerOffVM_Task".to_string()]
    );
}

#[test]
fn a_failed_registration_leaves_nothing_behind() {
    let (_sim, inj, conn) = setup("");
    inj.add(
        "RegisterVM_Task",
        1,
        Action::Fault("InvalidState", "The host is in maintenance mode."),
    );
    let xml = "<domain type='vmware'><name>rolled-back</name><memory>262144</memory>\
               <os><type arch='x86_64'>hvm</type></os><devices>\
               <disk type='file' device='disk'><source file='[LocalDS_0] rolled-back/disk.vmdk'/>\
               <target dev='sda' bus='scsi'/></disk></devices></domain>";
    let e = conn.define_xml(xml).unwrap_err();
    assert!(e.message().contains("maintenance mode"), "{e}");
    // The VMX was uploaded, then removed with the directory made for it.
    assert!(
        inj.seen()
            .iter()
            .any(|m| m.starts_with("PUT /folder/rolled-back/"))
    );
    assert!(inj.seen().contains(&"DeleteDatastoreFile_Task".to_string()));
    let dc = conn.primary().scope.host().unwrap().datacenter_path.clone();
    let gone = virt_esx::Error::from(
        conn.primary()
            .client
            .download(&dc, "LocalDS_0", "rolled-back/rolled-back.vmx")
            .unwrap_err(),
    );
    assert_eq!(gone.code, Code::ReadFailed, "{gone}");
    assert_eq!(
        conn.domain_by_name("rolled-back").unwrap_err().code,
        Code::NoDomain
    );
}

#[test]
fn an_http_proxy_carries_every_request() {
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    // The injector tunnels CONNECT requests as an HTTP proxy does.
    let proxy = Injector::start(&sim.addr);
    let uri = sim.uri(
        "esx",
        &format!("/?transport=http&proxy=http://{}", proxy.addr),
    );
    let conn = Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).unwrap();
    assert_eq!(
        conn.list_all_domains(ListDomainsFlags::empty())
            .unwrap()
            .len(),
        2
    );
    let seen = proxy.seen();
    let (tunnels, calls): (Vec<_>, Vec<_>) = seen.iter().partition(|m| m.starts_with("CONNECT "));
    assert_eq!(
        &calls[..3],
        &["RetrieveServiceContent", "Login", "RetrievePropertiesEx"]
    );
    assert_eq!(calls.len() as u64, conn.round_trips());
    assert!(tunnels.iter().all(|t| t.contains(&sim.addr)), "{tunnels:?}");
}

/// Faults are told apart by their type, never by words in their message: an InvalidArgument
/// whose text mentions NotAuthenticated neither logs in again nor passes for "not found".
#[test]
fn fault_types_decide_not_their_text() {
    let (_sim, inj, conn) = setup("");
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Fault(
            "InvalidArgument",
            "NotAuthenticated ManagedObjectNotFound FileNotFound (words in the text only)",
        ),
    );
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg, "{e}");
    assert!(
        !inj.seen()
            .iter()
            .skip_while(|m| *m != "RetrievePropertiesEx")
            .any(|m| m == "Login")
    );
}

/// A server cannot make the library allocate without bound: an endless chunked answer and one
/// larger than the 64 MiB cap end in an error (while they are read), and a huge fault message
/// is quoted only in part.
#[test]
fn server_answers_are_bounded() {
    use common::injector::fault_body;
    let (_sim, inj, conn) = setup("");
    inj.add("RetrievePropertiesEx", 1, Action::Endless);
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert!(
        e.message()
            .contains("larger than the 67108864 bytes allowed"),
        "{e}"
    );
    // An answer over the cap that nests without end is refused as it is read, at the 65th
    // level, long before its size would be.
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Raw(200, Box::new(|| "<a>".repeat(23 << 20))),
    );
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert!(e.message().contains("document too deep"), "{e}");
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Raw(
            500,
            Box::new(|| fault_body("InvalidArgument", &"y".repeat(20 << 20))),
        ),
    );
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg, "{e}");
    assert!(e.message().len() < 8192, "{} bytes", e.message().len());
    assert!(
        e.message().contains("truncated, 20971520 bytes in all"),
        "{}",
        &e.message()[..200]
    );
    // The connection still works afterwards.
    assert_eq!(
        conn.list_all_domains(ListDomainsFlags::empty())
            .unwrap()
            .len(),
        5
    );
}

/// An HTTP error page where SOAP was expected is reported with its status and first bytes.
#[test]
fn a_non_soap_error_page_is_quoted() {
    let (_sim, inj, conn) = setup("");
    inj.add(
        "RetrievePropertiesEx",
        1,
        Action::Raw(
            500,
            Box::new(|| "<html><body>502 Bad Gateway from the balancer</body></html>".into()),
        ),
    );
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert!(
        e.message()
            .contains("HTTP 500 answer to 'RetrievePropertiesEx'"),
        "{e}"
    );
    assert!(
        e.message().contains("502 Bad Gateway from the balancer"),
        "{e}"
    );
}

/// A busy server (HTTP 503): a read is sent again after growing pauses, up to four times, and
/// then the caller hears the 503; a call that changes something is sent once, whatever happens.
#[test]
fn busy_servers_get_reads_again_and_writes_once() {
    let (_sim, inj, conn) = setup("");
    let count = |m: &str| inj.seen().iter().filter(|s| *s == m).count();
    // Raw rules do not repeat: one rule per answer.
    let busy = |method: &'static str, times: usize| {
        for _ in 0..times {
            inj.add(method, 1, Action::Raw(503, Box::new(|| "busy".to_string())));
        }
    };
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let before = count("RetrievePropertiesEx");
    busy("RetrievePropertiesEx", 3);
    let vms = conn.list_all_domains(ListDomainsFlags::empty()).unwrap();
    assert_eq!(vms.len(), 5);
    assert_eq!(
        count("RetrievePropertiesEx") - before,
        4,
        "three 503s, then the answer"
    );
    busy("RetrievePropertiesEx", 5);
    let e = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap_err();
    assert!(e.message().contains("503"), "{e}");
    busy("PowerOffVM_Task", 1);
    let e = dom(&conn, &vm).power(PowerOp::Destroy).unwrap_err();
    assert!(e.message().contains("503"), "{e}");
    assert_eq!(count("PowerOffVM_Task"), 1, "a write is never sent twice");
}

/// A task that never finishes (the server keeps saying it runs): the call gives up at the
/// connection's task_timeout, cancels the task and says which one and how far it got.
#[test]
fn a_task_that_never_finishes_is_cancelled_at_the_timeout() {
    let (_sim, inj, conn) = setup("?task_timeout=1");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let running: std::sync::Arc<dyn Fn(&str) -> String + Send + Sync> =
        std::sync::Arc::new(|body: &str| body.replace(">success</val>", ">running</val>"));
    inj.add(
        "RetrievePropertiesEx",
        100,
        Action::RewriteEach(running.clone()),
    );
    inj.add("WaitForUpdatesEx", 100, Action::RewriteEach(running));
    let started = std::time::Instant::now();
    let e = dom(&conn, &vm).power(PowerOp::Destroy).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(e.code, Code::OperationTimeout, "{e}");
    let m = e.message();
    assert!(
        m.contains("PowerOffVM_Task (task task-")
            && m.contains("did not finish within 1 s: running, ")
            && m.contains("% done; the task was cancelled"),
        "{m}"
    );
    assert!(
        inj.seen().iter().any(|s| s == "CancelTask"),
        "the task was cancelled"
    );
}

/// A server slower than the views' 2 s window: info for every listed VM still reads the batch
/// and the CPU times once, not once per VM (each batch used to be stale on arrival).
#[test]
fn info_for_a_listing_reads_once_however_slow_the_server() {
    let (_sim, inj, conn) = setup("");
    let all = conn.list_all_domains(ListDomainsFlags::empty()).unwrap();
    std::thread::sleep(Duration::from_millis(2100)); // the listing's state is stale: re-read
    inj.add(
        "RetrievePropertiesEx",
        10,
        Action::Delay(Duration::from_millis(2100)),
    );
    inj.add("QueryPerf", 10, Action::Delay(Duration::from_millis(2100)));
    let listing = Arc::new(Listing::new(&all, true));
    let before = conn.round_trips();
    for vm in &all {
        let d = Domain::new(conn.clone(), vm.clone(), Some(listing.clone()));
        let now = d.current().unwrap();
        d.cpu_time(&now).unwrap();
    }
    // The batch (sizing and state), the counter ids once, and one QueryPerf.
    assert_eq!(conn.round_trips() - before, 3);
}
