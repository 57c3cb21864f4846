//! `lotline-server` as an administrator runs it: `device add|list|revoke`
//! and `serve` on port 0 as a child process, with a terminal enrolling
//! over HTTP in between, and no secret in the server's log.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output, Stdio};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn server(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotline-server"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("LOTLINE_SERVER_DB")
        .env("XDG_CONFIG_HOME", data_dir)
        .env("RUST_LOG", "debug");
    cmd
}

fn run(data_dir: &std::path::Path, args: &[&str]) -> Output {
    let out = server(data_dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_enroll_list_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let added = stdout(&run(dir.path(), &["device", "add", "dock-1"]));
    let code = added.trim().rsplit(' ').next().unwrap().to_owned();
    assert_eq!(code.len(), 19, "{added}");
    assert!(stdout(&run(dir.path(), &["device", "list"])).contains("awaiting enrollment"));
    let again = server(dir.path())
        .args(["device", "add", "dock-1"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let mut child = server(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let child = Killed(child);
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();

    let client = reqwest::Client::new();
    let reply = client
        .post(format!("{base}/v1/enroll"))
        .body(format!(r#"{{"code":"{code}","device_id":"term-1"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let reply: lotline::protocol::EnrollReply =
        serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    let post = || {
        client
            .post(format!("{base}/v1/devices/term-1/events"))
            .bearer_auth(&reply.token)
            .body(r#"{"device_id":"term-1","events":[]}"#)
            .send()
    };
    assert_eq!(post().await.unwrap().status(), 200);

    let listed = stdout(&run(dir.path(), &["device", "list"]));
    assert!(listed.contains("dock-1\tterm-1\tenrolled"), "{listed}");
    run(dir.path(), &["device", "revoke", "term-1"]);
    assert_eq!(post().await.unwrap().status(), 401);
    assert!(stdout(&run(dir.path(), &["device", "list"])).contains("revoked"));

    drop(child);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(log.contains("device enrolled"), "{log}");
    assert!(!log.contains(&reply.token), "token in the log");
    assert!(!log.contains(&code), "code in the log");
}

#[test]
fn version_and_bad_database_urls() {
    let dir = tempfile::tempdir().unwrap();
    let version = stdout(&run(dir.path(), &["version"]));
    assert!(version.starts_with("lotline-server "));
    let out = server(dir.path())
        .args(["--db", "mysql://x", "device", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database"));
    let out = server(dir.path())
        .args([
            "--db",
            "postgres://admin:hunter2@127.0.0.1:1/none",
            "device",
            "list",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("admin:***@127.0.0.1") && !err.contains("hunter2"),
        "{err}"
    );
}
