//! Every error reply: a [`Problem`] with its status, sent as
//! `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::protocol::{PROBLEM_CONTENT_TYPE, Problem};
use crate::server::store::StoreError;

/// An error a handler answers with.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl ApiError {
    /// A problem with `status`, titled by the status's reason phrase.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> ApiError {
        ApiError(Problem::new(
            status.as_u16(),
            status.canonical_reason().unwrap_or("Error"),
            detail,
        ))
    }

    /// The same error, blamed on a request field.
    pub fn field(self, field: impl Into<String>) -> ApiError {
        ApiError(self.0.with_field(field))
    }
}

impl From<StoreError> for ApiError {
    /// Storage failures are the server's fault: logged in full here, and
    /// reported without internals.
    fn from(e: StoreError) -> ApiError {
        tracing::error!("storage: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage failed; see the server log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.0).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        response
    }
}
