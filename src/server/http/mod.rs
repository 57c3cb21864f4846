//! The HTTP API: routes, shared state and the accept loop (plain or TLS).

mod auth;
mod body;
mod error;
mod handlers;
mod metrics;
mod openapi;
mod reports;

use std::sync::Arc;

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::routing::{MethodRouter, get, post};

use super::store::Store;
pub use error::ApiError;

/// Request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body, before and after gzip.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    /// 16 MiB: room for a full batch
    /// ([`crate::protocol::MAX_BATCH_EVENTS`] events of ~1 KiB of
    /// JSON each, long texts included) with margin.
    fn default() -> Limits {
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The storage.
    pub store: Arc<dyn Store>,
    /// The limits.
    pub limits: Limits,
}

/// One route: the router is built from the list of these, and a test
/// checks the OpenAPI document against the same list.
pub struct Route {
    /// The path, with `{name}` parameters as in OpenAPI.
    pub path: &'static str,
    /// The one method it answers.
    pub method: Method,
    handler: MethodRouter<AppState>,
}

/// Every route.
pub fn routes() -> Vec<Route> {
    let route = |path, method, handler| Route {
        path,
        method,
        handler,
    };
    vec![
        route("/v1/health", Method::GET, get(handlers::health)),
        route("/v1/openapi.json", Method::GET, get(openapi::document)),
        route("/v1/enroll", Method::POST, post(handlers::enroll)),
        route(
            "/v1/devices/{id}/events",
            Method::POST,
            post(handlers::ingest),
        ),
        route("/v1/reference", Method::GET, get(handlers::reference)),
        route("/v1/trace", Method::GET, get(reports::trace)),
        route("/v1/expiry", Method::GET, get(reports::expiry)),
        route("/metrics", Method::GET, get(metrics::metrics)),
    ]
}

/// The application: every route, with problem+json for unknown paths.
pub fn router(state: AppState) -> Router {
    routes()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.handler))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such endpoint") })
        .with_state(state)
}
