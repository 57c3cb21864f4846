//! `lotline-server`'s library half: the HTTP API terminals talk to
//! ([`http`]), the ingest rules ([`ingest`]), credentials ([`secrets`]),
//! storage on SQLite or PostgreSQL ([`store`]), their backups ([`backup`]),
//! the reports read from it ([`reports`]) and TLS ([`tls`]).
//! The binary (`src/bin/lotline-server.rs`) is only the command line.
//! Behaviour and operation: `docs/server.md`.

pub mod backup;
pub mod http;
pub mod ingest;
pub mod reports;
pub mod secrets;
pub mod store;
pub mod tls;

use std::net::TcpListener;

pub use http::{AppState, Limits};

/// Serves the API on `listener` (already bound, so callers and tests can
/// bind port 0 and learn the address first) until the task is dropped or
/// the listener fails. With `tls`, only HTTPS is spoken.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    tls: Option<tls::TlsFiles>,
) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let app = http::router(state);
    match tls {
        None => {
            axum::serve(tokio::net::TcpListener::from_std(listener)?, app).await?;
        }
        Some(files) => {
            let config = files.load()?;
            axum_server::from_tcp_rustls(listener, config)
                .serve(app.into_make_service())
                .await?;
        }
    }
    Ok(())
}
