//! Reading request bodies within limits: size before and after gzip, and
//! JSON decoding whose errors name the field at fault.

use std::io::Read;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use flate2::read::GzDecoder;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Reads `body` (at most `limit` bytes on the wire and, after gzip, at
/// most `limit` bytes of JSON: a small compressed body cannot expand into
/// gigabytes) and decodes it as `T`.
pub async fn json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<T, ApiError> {
    let raw = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body exceeds {limit} bytes"),
        )
    })?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    let text = match encoding.as_deref() {
        None | Some("identity") => raw.to_vec(),
        Some("gzip") => gunzip(&raw, limit)?,
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Content-Encoding {other:?} is not supported; use gzip"),
            ));
        }
    };
    decode(&text)
}

fn gunzip(raw: &[u8], limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    GzDecoder::new(raw)
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid gzip body: {e}")))?;
    if out.len() > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the decompressed body exceeds {limit} bytes"),
        ));
    }
    Ok(out)
}

/// Decodes JSON; a wrong or missing field is a 422 naming its path.
fn decode<T: DeserializeOwned>(text: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let status = if inner.is_syntax() || inner.is_eof() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let problem = ApiError::new(status, format!("invalid JSON body: {inner}"));
        if path == "." {
            problem
        } else {
            problem.field(path)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::EnrollRequest;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        let bomb = gzip(&vec![b' '; 10_000_000]);
        let err = gunzip(&bomb, 1_000_000).unwrap_err();
        assert_eq!(err.0.status, 413);
    }

    #[test]
    fn decoding_errors_name_the_field() {
        let err = decode::<EnrollRequest>(br#"{"code": 5, "device_id": "x"}"#).unwrap_err();
        assert_eq!((err.0.status, err.0.field.as_deref()), (422, Some("code")));
        let err = decode::<EnrollRequest>(br#"{"code": "#).unwrap_err();
        assert_eq!(err.0.status, 400);
        let ok: EnrollRequest = decode(br#"{"code": "A", "device_id": "x"}"#).unwrap();
        assert_eq!(ok.code, "A");
    }
}
