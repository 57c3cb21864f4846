//! The report endpoints: `GET /v1/trace` (the recall trace of one lot, as
//! JSON or CSV) and `GET /v1/expiry` (lots in stock expiring soon). Any
//! enrolled terminal may ask: a supervisor's lot lookup is one of them.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::Device;
use super::error::ApiError;
use crate::server::reports::{self, ReportError};
use crate::traceability::expiry::ExpiringLot;

/// Longest horizon of the expiry report: ten years.
const MAX_EXPIRY_DAYS: u32 = 3650;

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> ApiError {
        match e {
            ReportError::Store(e) => e.into(),
            other => {
                tracing::error!("report: {other}");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string())
            }
        }
    }
}

/// The query of `GET /v1/trace`.
#[derive(Debug, serde::Deserialize)]
pub struct TraceQuery {
    /// GTIN-14 of the product.
    gtin: Option<String>,
    /// The lot; absent: goods of the GTIN without a lot.
    lot: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// `GET /v1/trace?gtin=…&lot=…[&format=csv]`: forward to cartons,
/// shipments and customers, backward to receipts and suppliers, and the
/// stock left, of one lot.
pub async fn trace(
    State(state): State<AppState>,
    _device: Device,
    Query(query): Query<TraceQuery>,
) -> Result<Response, ApiError> {
    let gtin = query.gtin.as_deref().map(str::trim).unwrap_or_default();
    if gtin.len() != 14 || !gtin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "a GTIN-14 (14 digits)").field("gtin"),
        );
    }
    let lot = query
        .lot
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let report = reports::lot_trace(state.store.as_ref(), gtin, lot).await?;
    match query.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(report).into_response()),
        "csv" => {
            let csv = report.to_csv().map_err(ReportError::from)?;
            let mut response = csv.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            Ok(response)
        }
        _ => {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "`json` or `csv`").field("format"))
        }
    }
}

/// The query of `GET /v1/expiry`.
#[derive(Debug, serde::Deserialize)]
pub struct ExpiryQuery {
    /// Horizon in days from today (UTC); default 30.
    days: Option<String>,
}

/// `GET /v1/expiry?days=N`: lots in stock anywhere expiring within `N`
/// days (expired ones included), earliest first.
pub async fn expiry(
    State(state): State<AppState>,
    _device: Device,
    Query(query): Query<ExpiryQuery>,
) -> Result<Json<Vec<ExpiringLot>>, ApiError> {
    let days = match query.days.as_deref().map(str::trim) {
        None | Some("") => 30,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_EXPIRY_DAYS)
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("a whole number of days, 0 to {MAX_EXPIRY_DAYS}"),
                )
                .field("days")
            })?,
    };
    let today = chrono::Utc::now().date_naive();
    Ok(Json(
        reports::expiring(state.store.as_ref(), today, days).await?,
    ))
}
