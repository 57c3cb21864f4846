//! Bearer-token authentication of terminals. The token is hashed and
//! looked up; the stored hash is compared again in constant time. Tokens
//! never reach a log line.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};

use super::AppState;
use super::error::ApiError;
use crate::server::secrets::SecretHash;

/// A request from an enrolled, unrevoked device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device the token belongs to.
    pub device_id: String,
}

impl Device {
    /// Refuses (403) a request about another device's data.
    pub fn must_be(&self, device_id: &str) -> Result<(), ApiError> {
        if self.device_id == device_id {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "this token belongs to another device",
            ))
        }
    }
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, detail)
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Device, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthorized("an `Authorization: Bearer TOKEN` header is required"))?;
        let hash = SecretHash::of(token);
        let credential = state
            .store
            .credential(hash)
            .await?
            .filter(|c| c.token_hash.matches(&hash))
            .ok_or_else(|| unauthorized("unknown token"))?;
        if credential.revoked {
            return Err(unauthorized("this device has been revoked"));
        }
        Ok(Device {
            device_id: credential.device_id,
        })
    }
}
