//! The `/v1` endpoints.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::Device;
use super::body;
use super::error::ApiError;
use crate::protocol::{
    EnrollReply, EnrollRequest, EventBatch, Health, PROTOCOL_VERSION, ReferenceChanges,
};
use crate::server::ingest::ValidBatch;
use crate::server::secrets::{SecretHash, enrollment_code_hash, new_token};
use crate::server::store::EnrollOutcome;

/// Largest enrollment body: a code and an id.
const ENROLL_BODY_LIMIT: usize = 4 * 1024;

/// Longest device id accepted at enrollment (a UUID is 36).
const MAX_DEVICE_ID_LEN: usize = 64;

/// `GET /v1/health`.
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        protocol: PROTOCOL_VERSION,
    }))
}

/// `POST /v1/enroll`: a one-time code for a device id and a token.
pub async fn enroll(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Body,
) -> Result<Json<EnrollReply>, ApiError> {
    let request: EnrollRequest = body::json(&headers, request, ENROLL_BODY_LIMIT).await?;
    let id = &request.device_id;
    let valid_id = !id.is_empty()
        && id.len() <= MAX_DEVICE_ID_LEN
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    if !valid_id {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("1 to {MAX_DEVICE_ID_LEN} letters, digits, '-', '_' or '.'"),
        )
        .field("device_id"));
    }
    let token = new_token().map_err(|e| {
        tracing::error!("{e}");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no randomness available")
    })?;
    let outcome = state
        .store
        .enroll(
            enrollment_code_hash(&request.code),
            id,
            SecretHash::of(&token),
        )
        .await?;
    match outcome {
        EnrollOutcome::Enrolled => {
            tracing::info!(device_id = %id, "device enrolled");
            Ok(Json(EnrollReply {
                device_id: request.device_id,
                token,
            }))
        }
        EnrollOutcome::UnknownCode => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unknown or already used enrollment code",
        )
        .field("code")),
        EnrollOutcome::DeviceIdTaken => Err(ApiError::new(
            StatusCode::CONFLICT,
            "a device with this id is already enrolled",
        )
        .field("device_id")),
    }
}

/// `POST /v1/devices/{id}/events`: a gzip JSON [`EventBatch`].
pub async fn ingest(
    State(state): State<AppState>,
    Path(device_id): Path<String>,
    device: Device,
    headers: HeaderMap,
    request: Body,
) -> Result<Response, ApiError> {
    device.must_be(&device_id)?;
    let received_at = chrono::Utc::now();
    let batch: EventBatch = body::json(&headers, request, state.limits.max_body_bytes).await?;
    let batch = ValidBatch::new(&device_id, batch)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.why).field(e.field))?;
    let mut reply = state.store.ingest(batch, received_at).await?;
    reply.clock_skew_seconds = clock_skew(&headers, received_at);
    if let Some(skew) = reply.clock_skew_seconds {
        tracing::warn!(device_id = %device_id, skew_seconds = skew, "device clock is off");
    }
    tracing::info!(
        device_id = %device_id,
        stored = reply.stored,
        duplicates = reply.duplicates,
        acked_through = reply.acked_through,
        conflicts = reply.conflicts.len(),
        chain_breaks = reply.chain_breaks.len(),
        "batch ingested"
    );
    if !reply.chain_breaks.is_empty() {
        tracing::warn!(device_id = %device_id, "hash chain breaks flagged: {:?}", reply.chain_breaks);
    }
    let status = if reply.conflicts.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok((status, Json(reply)).into_response())
}

/// How far behind the server's clock the request's `Date` header is, in
/// seconds, when beyond the tolerance; None without a readable `Date`.
fn clock_skew(headers: &HeaderMap, received_at: chrono::DateTime<chrono::Utc>) -> Option<i64> {
    let sent = headers.get(axum::http::header::DATE)?.to_str().ok()?;
    let sent = chrono::DateTime::parse_from_rfc2822(sent).ok()?;
    let skew = (received_at - sent.with_timezone(&chrono::Utc)).num_seconds();
    (skew.abs() > crate::protocol::CLOCK_SKEW_TOLERANCE_SECONDS).then_some(skew)
}

/// The query of `GET /v1/reference`.
#[derive(Debug, serde::Deserialize)]
pub struct ReferenceQuery {
    /// The cursor of the terminal's last download; absent or empty: all.
    since: Option<String>,
}

/// `GET /v1/reference?since=CURSOR`: reference data and lot statuses set
/// after the cursor, for any enrolled device.
pub async fn reference(
    State(state): State<AppState>,
    _device: Device,
    Query(query): Query<ReferenceQuery>,
) -> Result<Json<ReferenceChanges>, ApiError> {
    let since = match query.since.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => text.parse::<u64>().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "a cursor from an earlier reply (a whole number)",
            )
            .field("since")
        })?,
    };
    Ok(Json(state.store.reference_since(since).await?))
}
