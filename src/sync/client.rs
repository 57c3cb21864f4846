//! The HTTP side of sync: enrollment, the server's health and protocol
//! version, and event uploads with gzip request bodies — each failure a
//! distinct [`SyncError`] so the operator (and the retry loop) can tell
//! "no network" from "revoked" from "the journals disagree".

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde::de::DeserializeOwned;

use crate::protocol::{
    EnrollReply, EnrollRequest, EventBatch, Health, IngestReply, PATH_PREFIX, PROTOCOL_VERSION,
    Problem, ReferenceChanges,
};

/// How long one request may take end to end.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a sync call failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No answer: no network, server down, DNS, TLS handshake, timeout.
    #[error("the server at {url} cannot be reached: {reason}")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// What the network layer said.
        reason: String,
    },
    /// 401: unknown or used enrollment code, or a revoked or unknown token.
    #[error("the server refused this terminal ({0}): enroll it again with a new code")]
    Unauthorized(String),
    /// 403: the token belongs to another device.
    #[error("the server says this token belongs to another device ({0})")]
    Forbidden(String),
    /// 409 on upload: the server holds a seq with a different hash. Nothing
    /// of the batch was stored; this needs an administrator.
    #[error(
        "the server holds different events for seq {}: nothing was overwritten; tell an administrator",
        .0.conflicts.first().map_or(0, |c| c.seq)
    )]
    Conflict(IngestReply),
    /// The server speaks another protocol version.
    #[error(
        "the server speaks protocol {server}, this terminal {PROTOCOL_VERSION}: update the {}",
        if *.server > PROTOCOL_VERSION { "terminal" } else { "server" }
    )]
    Incompatible {
        /// The server's protocol version.
        server: u32,
    },
    /// Any other refusal, with the server's explanation.
    #[error("the server refused the request ({status}): {detail}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The problem detail, or the body.
        detail: String,
    },
    /// The server answered something this terminal cannot read.
    #[error("the server's answer cannot be read: {0}")]
    BadReply(String),
    /// The client could not be set up (e.g. an unreadable CA file).
    #[error("{0}")]
    Setup(String),
    /// The terminal's own journal failed.
    #[error("journal: {0}")]
    Journal(#[from] crate::journal::JournalError),
}

impl SyncError {
    /// True for failures that retrying later can cure by itself.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Unreachable { .. } => true,
            SyncError::Rejected { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// A client of one server.
#[derive(Debug, Clone)]
pub struct SyncClient {
    base: String,
    http: Client,
}

impl SyncClient {
    /// A client for the server at `base_url` (`http://` or `https://`),
    /// trusting the system roots plus, when given, the CA certificates in
    /// the PEM file `ca_file` (for a private PKI).
    pub fn new(base_url: &str, ca_file: Option<&Path>) -> Result<SyncClient, SyncError> {
        let base = base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SyncError::Setup(format!(
                "{base_url:?} is not an http:// or https:// URL"
            )));
        }
        let mut builder = Client::builder()
            .use_rustls_tls()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("lotline/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                SyncError::Setup(format!("cannot read the CA file {}: {e}", path.display()))
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                SyncError::Setup(format!(
                    "{} holds no usable certificate: {e}",
                    path.display()
                ))
            })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder
            .build()
            .map_err(|e| SyncError::Setup(format!("cannot set up HTTPS: {e}")))?;
        Ok(SyncClient { base, http })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{PATH_PREFIX}{path}", self.base)
    }

    /// The server's health; an error when it speaks another protocol.
    pub fn health(&self) -> Result<Health, SyncError> {
        let url = self.url("/health");
        let health: Health = self.call(&url, self.http.get(&url))?;
        if health.protocol != PROTOCOL_VERSION {
            return Err(SyncError::Incompatible {
                server: health.protocol,
            });
        }
        Ok(health)
    }

    /// Exchanges a one-time code for this terminal's token.
    pub fn enroll(&self, code: &str, device_id: &str) -> Result<EnrollReply, SyncError> {
        self.health()?;
        let url = self.url("/enroll");
        let body = serde_json::to_vec(&EnrollRequest {
            code: code.to_owned(),
            device_id: device_id.to_owned(),
        })
        .map_err(|e| SyncError::Setup(e.to_string()))?;
        self.call(
            &url,
            self.http
                .post(&url)
                .header("content-type", "application/json")
                .body(body),
        )
    }

    /// Uploads one batch of this device's events, gzip-compressed.
    pub fn upload(&self, token: &str, batch: &EventBatch) -> Result<IngestReply, SyncError> {
        let url = self.url(&format!("/devices/{}/events", batch.device_id));
        let body = gzip_json(batch)?;
        let request = self
            .http
            .post(&url)
            .bearer_auth(token)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            // The device clock, so the server can flag a skewed one.
            .header("date", chrono::Utc::now().to_rfc2822())
            .body(body);
        self.call(&url, request)
    }

    /// Reference data and lot statuses changed on the server since
    /// `cursor` (empty: everything).
    pub fn reference(&self, token: &str, cursor: &str) -> Result<ReferenceChanges, SyncError> {
        let url = self.url("/reference");
        let mut request = self.http.get(&url).bearer_auth(token);
        if !cursor.is_empty() {
            request = request.query(&[("since", cursor)]);
        }
        self.call(&url, request)
    }

    /// Sends `request` and reads a JSON answer, mapping failures.
    fn call<T: DeserializeOwned>(
        &self,
        url: &str,
        request: RequestBuilder,
    ) -> Result<T, SyncError> {
        let response = request.send().map_err(|e| SyncError::Unreachable {
            url: url.to_owned(),
            reason: error_chain(&e),
        })?;
        let status = response.status();
        if status.is_success() {
            return read_json(response);
        }
        let body = response.text().unwrap_or_default();
        let detail = serde_json::from_str::<Problem>(&body)
            .map(|p| p.detail)
            .unwrap_or_else(|_| body.chars().take(200).collect());
        Err(match status {
            StatusCode::UNAUTHORIZED => SyncError::Unauthorized(detail),
            StatusCode::FORBIDDEN => SyncError::Forbidden(detail),
            StatusCode::CONFLICT => match serde_json::from_str::<IngestReply>(&body) {
                Ok(reply) if !reply.conflicts.is_empty() => SyncError::Conflict(reply),
                _ => SyncError::Rejected {
                    status: status.as_u16(),
                    detail,
                },
            },
            StatusCode::NOT_FOUND => SyncError::Rejected {
                status: 404,
                detail: format!(
                    "{url} does not exist: is this a Lotline server of a matching version? ({detail})"
                ),
            },
            _ => SyncError::Rejected {
                status: status.as_u16(),
                detail,
            },
        })
    }
}

fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, SyncError> {
    let bytes = response
        .bytes()
        .map_err(|e| SyncError::BadReply(error_chain(&e)))?;
    serde_json::from_slice(&bytes).map_err(|e| SyncError::BadReply(e.to_string()))
}

/// `value` as gzip-compressed JSON. The JSON is written out first and
/// compressed in one piece: serde_json writes token by token, and flate2's
/// writer clears its whole 32 KiB output buffer on every write, which made
/// compressing a batch cost more than everything else in an upload.
fn gzip_json(value: &impl serde::Serialize) -> Result<Vec<u8>, SyncError> {
    let json = serde_json::to_vec(value).map_err(|e| SyncError::Setup(e.to_string()))?;
    let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::fast());
    encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .map_err(|e| SyncError::Setup(e.to_string()))
}

/// An error and its causes on one line (reqwest hides the useful part,
/// e.g. "connection refused", in the source chain).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_bad_settings() {
        let client = SyncClient::new("https://server.example/", None).unwrap();
        assert_eq!(client.url("/health"), "https://server.example/v1/health");
        assert!(matches!(
            SyncClient::new("ftp://x", None),
            Err(SyncError::Setup(_))
        ));
        let missing = SyncClient::new("https://x", Some(Path::new("/no/such/ca.pem")));
        assert!(matches!(missing, Err(SyncError::Setup(m)) if m.contains("/no/such/ca.pem")));
    }

    #[test]
    fn an_unreachable_server_is_transient_and_named() {
        // Port 9 on loopback (discard) is closed on a test machine.
        let client = SyncClient::new("http://127.0.0.1:9", None).unwrap();
        let err = client.health().unwrap_err();
        assert!(err.is_transient(), "{err}");
        assert!(err.to_string().contains("127.0.0.1:9"), "{err}");
        assert!(!SyncError::Unauthorized("revoked".into()).is_transient());
    }
}
