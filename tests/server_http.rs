//! The HTTP API end to end: the real server on 127.0.0.1 port 0 (SQLite in
//! a temporary directory), a real HTTP client, gzip bodies.

mod support;

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use flate2::{Compression, write::GzEncoder};
use lotline::protocol::{EnrollReply, EventBatch, IngestReply, Problem};
use lotline::server::secrets::enrollment_code_hash;
use lotline::server::store::Store;
use lotline::server::tls::TlsFiles;
use lotline::server::{AppState, Limits};
use reqwest::StatusCode;
use support::{TestDb, chain, wire};

struct Server {
    addr: SocketAddr,
    store: Arc<dyn Store>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _db: TestDb,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start(tls: Option<TlsFiles>) -> Server {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState {
        store: Arc::clone(&store),
        limits: Limits {
            max_body_bytes: 256 * 1024,
        },
    };
    let task = tokio::spawn(lotline::server::serve(listener, state, tls));
    Server {
        addr,
        store,
        task,
        _db: db,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Adds device `name`, enrolls it as `dev` over HTTP; returns the token.
    async fn enroll(&self, name: &str, dev: &str) -> String {
        let code = format!("CODE-{name}");
        self.store
            .add_device(name, enrollment_code_hash(&code))
            .await
            .unwrap();
        let reply = reqwest::Client::new()
            .post(self.url("/v1/enroll"))
            .body(format!(
                r#"{{"code":"{}","device_id":"{dev}"}}"#,
                code.to_lowercase()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        let reply: EnrollReply = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
        assert_eq!(reply.device_id, dev);
        reply.token
    }

    async fn post_events(
        &self,
        dev: &str,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .post(self.url(&format!("/v1/devices/{dev}/events")))
            .header("content-encoding", "gzip")
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }
}

fn gzip_json(batch: &EventBatch) -> Vec<u8> {
    gzip(&serde_json::to_vec(batch).unwrap())
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

async fn reply(response: reqwest::Response) -> (StatusCode, IngestReply) {
    let status = response.status();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

async fn problem(response: reqwest::Response) -> Problem {
    let ctype = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(ctype, "application/problem+json");
    let status = response.status().as_u16();
    let problem: Problem = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(problem.status, status);
    problem
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_then_ingest_repeat_gap_and_conflict() {
    let server = start(None).await;
    let token = server.enroll("dock-1", "dev-1").await;
    let events = chain("dev-1", 6);

    let sent = [&events[..3], &events[4..]].concat();
    let (status, r) = reply(
        server
            .post_events("dev-1", Some(&token), gzip_json(&wire("dev-1", &sent)))
            .await,
    )
    .await;
    assert_eq!((status, r.acked_through, r.stored), (StatusCode::OK, 3, 3));

    let (status, r) = reply(
        server
            .post_events("dev-1", Some(&token), gzip_json(&wire("dev-1", &events)))
            .await,
    )
    .await;
    assert_eq!(
        (status, r.acked_through, r.stored, r.duplicates),
        (StatusCode::OK, 6, 3, 3)
    );

    let mut altered = events.clone();
    altered[0].body.quantity = 1000;
    altered[0].hash = altered[0].compute_hash();
    let (status, r) = reply(
        server
            .post_events(
                "dev-1",
                Some(&token),
                gzip_json(&wire("dev-1", &altered[..1])),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, r.acked_through, r.stored),
        (StatusCode::CONFLICT, 6, 0)
    );
    assert_eq!(r.conflicts[0].stored_hash, events[0].hash.to_string());

    // Uncompressed JSON is accepted too.
    let response = reqwest::Client::new()
        .post(server.url("/v1/devices/dev-1/events"))
        .bearer_auth(&token)
        .body(serde_json::to_vec(&wire("dev-1", &events[5..])).unwrap())
        .send()
        .await
        .unwrap();
    let (status, r) = reply(response).await;
    assert_eq!((status, r.duplicates), (StatusCode::OK, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_guard_each_stream() {
    let server = start(None).await;
    let token = server.enroll("a", "dev-a").await;
    let other = server.enroll("b", "dev-b").await;
    let body = || gzip_json(&wire("dev-a", &chain("dev-a", 1)));

    let p = problem(server.post_events("dev-a", None, body()).await).await;
    assert_eq!(p.status, 401);
    let p = problem(
        server
            .post_events("dev-a", Some("not-a-token"), body())
            .await,
    )
    .await;
    assert_eq!(p.status, 401);
    let p = problem(server.post_events("dev-a", Some(&other), body()).await).await;
    assert_eq!(p.status, 403);

    assert!(server.store.revoke("a").await.unwrap());
    let p = problem(server.post_events("dev-a", Some(&token), body()).await).await;
    assert_eq!(p.status, 401);
    assert!(p.detail.contains("revoked"), "{}", p.detail);

    let used = reqwest::Client::new()
        .post(server.url("/v1/enroll"))
        .body(r#"{"code":"CODE-a","device_id":"dev-z"}"#)
        .send()
        .await
        .unwrap();
    let p = problem(used).await;
    assert_eq!((p.status, p.field.as_deref()), (401, Some("code")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_payloads_get_problems_naming_the_field() {
    let server = start(None).await;
    let token = server.enroll("a", "dev").await;
    let events = chain("dev", 2);

    let mut batch = wire("dev", &events);
    batch.events[1].hash = "zz".into();
    let p = problem(
        server
            .post_events("dev", Some(&token), gzip_json(&batch))
            .await,
    )
    .await;
    assert_eq!(
        (p.status, p.field.as_deref()),
        (422, Some("events[1].hash"))
    );

    let mut json = serde_json::to_value(wire("dev", &events)).unwrap();
    json["events"][0]["seq"] = "one".into();
    let p = problem(
        server
            .post_events("dev", Some(&token), gzip(json.to_string().as_bytes()))
            .await,
    )
    .await;
    assert_eq!((p.status, p.field.as_deref()), (422, Some("events[0].seq")));

    let p = problem(
        server
            .post_events("dev", Some(&token), b"not gzip".to_vec())
            .await,
    )
    .await;
    assert_eq!(p.status, 400);

    let big = vec![b' '; 300 * 1024];
    let p = problem(server.post_events("dev", Some(&token), gzip(&big)).await).await;
    assert_eq!(p.status, 413);

    // Nothing of the refused batches was stored.
    assert_eq!(server.store.devices().await.unwrap()[0].acked_through, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_exactly_the_routes() {
    let server = start(None).await;
    let client = reqwest::Client::new();
    let doc = client
        .get(server.url("/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&doc.bytes().await.unwrap()).unwrap();
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (path.clone(), m.to_uppercase()))
        })
        .collect();
    documented.sort();
    let mut routed: Vec<(String, String)> = lotline::server::http::routes()
        .iter()
        .map(|r| (r.path.to_owned(), r.method.to_string()))
        .collect();
    routed.sort();
    assert_eq!(documented, routed);
    // Each route really answers its method (and only it).
    for (path, method) in routed {
        let url = server.url(&path.replace("{id}", "x"));
        let method: reqwest::Method = method.parse().unwrap();
        let status = client
            .request(method.clone(), &url)
            .send()
            .await
            .unwrap()
            .status();
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {status}"
        );
        let other = if method == reqwest::Method::GET {
            reqwest::Method::DELETE
        } else {
            reqwest::Method::GET
        };
        let status = client.request(other, &url).send().await.unwrap().status();
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
    let health = client.get(server.url("/v1/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let p = problem(client.get(server.url("/v2/nothing")).send().await.unwrap()).await;
    assert_eq!(p.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_end_to_end_with_a_generated_certificate() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = TlsFiles {
        cert: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    std::fs::write(&files.cert, cert.cert.pem()).unwrap();
    std::fs::write(&files.key, cert.key_pair.serialize_pem()).unwrap();
    let server = start(Some(files)).await;
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve("localhost", server.addr)
        .https_only(true)
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/v1/health", server.addr.port());
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let health: lotline::protocol::Health =
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(health.status, "ok");
    // Plain HTTP on the TLS port gets no answer.
    let plain = reqwest::Client::new()
        .get(server.url("/v1/health"))
        .send()
        .await;
    assert!(plain.map(|r| r.status() != StatusCode::OK).unwrap_or(true));
    // A client that does not trust the certificate is refused.
    let untrusting = reqwest::Client::builder()
        .resolve("localhost", server.addr)
        .build()
        .unwrap();
    assert!(untrusting.get(&url).send().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_changes_since_a_cursor() {
    use lotline::journal::{LotState, LotStatus, Operator, ReferenceData};
    use lotline::protocol::ReferenceChanges;
    let server = start(None).await;
    let token = server.enroll("dock-1", "dev-1").await;
    let client = reqwest::Client::new();
    let get = |query: &str| {
        client
            .get(server.url(&format!("/v1/reference{query}")))
            .bearer_auth(&token)
            .send()
    };
    let operators = ReferenceData {
        operators: vec![Operator {
            badge: "B1".into(),
            name: "Ann".into(),
            role: "receiver".into(),
        }],
        ..ReferenceData::default()
    };
    server.store.put_reference(&operators).await.unwrap();
    let first: ReferenceChanges =
        serde_json::from_slice(&get("").await.unwrap().bytes().await.unwrap()).unwrap();
    assert_eq!(first.changes, operators);

    let recall = ReferenceData {
        lot_statuses: vec![LotStatus {
            gtin: "09506000134352".into(),
            lot: Some("A1".into()),
            state: LotState::Recalled,
            reason: Some("listeria".into()),
            issued_by: "qa".into(),
            issued_at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        }],
        ..ReferenceData::default()
    };
    server.store.put_reference(&recall).await.unwrap();
    let next = get(&format!("?since={}", first.cursor)).await.unwrap();
    assert_eq!(next.status(), StatusCode::OK);
    let next: ReferenceChanges = serde_json::from_slice(&next.bytes().await.unwrap()).unwrap();
    assert_eq!(next.changes, recall, "only what changed after the cursor");
    let idle: ReferenceChanges = serde_json::from_slice(
        &get(&format!("?since={}", next.cursor))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(idle.cursor, next.cursor);
    assert_eq!(idle.changes, ReferenceData::default());

    let bad = problem(get("?since=yesterday").await.unwrap()).await;
    assert_eq!((bad.status, bad.field.as_deref()), (422, Some("since")));
    let anonymous = client
        .get(server.url("/v1/reference"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

/// A device whose clock is days behind: its events are stored all the
/// same, and the reply flags the skew; a clock within tolerance is not
/// flagged.
#[tokio::test]
async fn a_skewed_device_clock_is_flagged_not_refused() {
    let server = start(None).await;
    let token = server.enroll("dock-9", "dev-9").await;
    let events = chain("dev-9", 2);
    let post = |date: String, events: Vec<lotline::journal::Event>| {
        reqwest::Client::new()
            .post(server.url("/v1/devices/dev-9/events"))
            .header("content-encoding", "gzip")
            .header("content-type", "application/json")
            .header("date", date)
            .bearer_auth(&token)
            .body(gzip_json(&wire("dev-9", &events)))
            .send()
    };
    let three_days_ago = chrono::Utc::now() - chrono::Duration::days(3);
    let (status, r) = reply(
        post(three_days_ago.to_rfc2822(), events[..1].to_vec())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, r.stored), (StatusCode::OK, 1));
    let skew = r.clock_skew_seconds.expect("skew flagged");
    assert!((259_000..=260_000).contains(&skew), "{skew}");
    let (status, r) = reply(
        post(chrono::Utc::now().to_rfc2822(), events.clone())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, r.stored, r.clock_skew_seconds),
        (StatusCode::OK, 1, None)
    );
}
