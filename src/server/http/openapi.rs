//! The OpenAPI 3.1 description of the API, written by hand next to the
//! routes (a test in `tests/server_http.rs` keeps the two equal), served at
//! `/v1/openapi.json`.

use axum::Json;
use serde_json::{Value, json};

/// `GET /v1/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}

/// A reference to a schema in this document.
fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// A JSON body of schema `name`.
fn content(media: &str, name: &str) -> Value {
    json!({ (media): { "schema": schema(name) } })
}

fn problem(description: &str) -> Value {
    json!({ "description": description, "content": content("application/problem+json", "Problem") })
}

fn nullable_text() -> Value {
    json!({ "type": ["string", "null"] })
}

fn wire_event_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for field in crate::journal::EXPORT_FIELDS {
        let schema = match field {
            "seq" => json!({ "type": "integer", "minimum": 1 }),
            "quantity" => json!({ "type": "integer" }),
            "event_id" | "device_id" | "recorded_at" | "operator" | "kind" | "unit"
            | "prev_hash" | "hash" => json!({ "type": "string" }),
            _ => nullable_text(),
        };
        properties.insert(field.to_owned(), schema);
    }
    json!({
        "type": "object",
        "description": "A journal event with the export's field names; see docs/journal.md.",
        "additionalProperties": false,
        "required": crate::journal::EXPORT_FIELDS,
        "properties": properties,
    })
}

/// The document.
pub fn spec() -> Value {
    let bearer = json!([{ "bearer": [] }]);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "lotline-server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Enrollment, event ingest, reference data and recall reports for Lotline terminals, and metrics for monitoring. See docs/server.md."
        },
        "paths": {
            "/v1/health": { "get": {
                "summary": "Whether the server and its storage answer",
                "responses": {
                    "200": { "description": "Up", "content": content("application/json", "Health") },
                    "500": problem("Storage unavailable")
                }
            }},
            "/v1/openapi.json": { "get": {
                "summary": "This document",
                "responses": { "200": { "description": "The OpenAPI document" } }
            }},
            "/v1/enroll": { "post": {
                "summary": "Exchange a one-time code for a bearer token",
                "requestBody": { "required": true, "content": content("application/json", "EnrollRequest") },
                "responses": {
                    "200": { "description": "Enrolled; the token is shown only now",
                             "content": content("application/json", "EnrollReply") },
                    "401": problem("Unknown or already used code"),
                    "409": problem("Device id already enrolled"),
                    "422": problem("Invalid field")
                }
            }},
            "/v1/devices/{id}/events": { "post": {
                "summary": "Upload a batch of the device's events (gzip JSON)",
                "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true,
                                 "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": content("application/json", "EventBatch") },
                "responses": {
                    "200": { "description": "Stored through acked_through",
                             "content": content("application/json", "IngestReply") },
                    "400": problem("Malformed JSON or gzip"),
                    "401": problem("Missing, unknown or revoked token"),
                    "403": problem("The token belongs to another device"),
                    "409": { "description": "A seq is already stored with another hash; nothing stored",
                             "content": content("application/json", "IngestReply") },
                    "413": problem("Body too large"),
                    "415": problem("Unsupported Content-Encoding"),
                    "422": problem("Invalid field (named in `field`)")
                }
            }},
            "/v1/reference": { "get": {
                "summary": "Reference data and lot statuses set after a cursor",
                "security": bearer,
                "parameters": [{ "name": "since", "in": "query", "required": false,
                                 "description": "The cursor of the last reply; absent: everything",
                                 "schema": { "type": "string" } }],
                "responses": {
                    "200": { "description": "Changes since the cursor, and the next cursor",
                             "content": content("application/json", "ReferenceChanges") },
                    "401": problem("Missing, unknown or revoked token"),
                    "422": problem("The cursor is not one this server issued")
                }
            }},
            "/v1/trace": { "get": {
                "summary": "Recall trace of one lot: receipts, cartons, shipments, customers, stock",
                "security": bearer,
                "parameters": [
                    { "name": "gtin", "in": "query", "required": true,
                      "schema": { "type": "string", "pattern": "^[0-9]{14}$" } },
                    { "name": "lot", "in": "query", "required": false,
                      "description": "Absent: goods of the GTIN without a lot",
                      "schema": { "type": "string" } },
                    { "name": "format", "in": "query", "required": false,
                      "schema": { "enum": ["json", "csv"], "default": "json" } }
                ],
                "responses": {
                    "200": { "description": "The trace (CSV columns: docs/server-exports.md)",
                             "content": {
                                 "application/json": { "schema": schema("TraceReport") },
                                 "text/csv": { "schema": { "type": "string" } }
                             } },
                    "401": problem("Missing, unknown or revoked token"),
                    "422": problem("Invalid field (named in `field`)")
                }
            }},
            "/v1/expiry": { "get": {
                "summary": "Lots in stock that expire within N days, earliest first",
                "security": bearer,
                "parameters": [{ "name": "days", "in": "query", "required": false,
                                 "schema": { "type": "integer", "minimum": 0, "maximum": 3650,
                                             "default": 30 } }],
                "responses": {
                    "200": { "description": "The lots",
                             "content": { "application/json": { "schema": {
                                 "type": "array", "items": schema("ExpiringLot") } } } },
                    "401": problem("Missing, unknown or revoked token"),
                    "422": problem("Invalid field (named in `field`)")
                }
            }},
            "/metrics": { "get": {
                "summary": "Prometheus metrics: devices, events ingested, last upload, sync lag, conflicts, chain breaks",
                "description": "Text exposition format 0.0.4; metric meanings in docs/server.md. No authentication: keep it on a trusted network.",
                "responses": {
                    "200": { "description": "The metrics",
                             "content": { (super::metrics::CONTENT_TYPE): { "schema": { "type": "string" } } } },
                    "500": problem("Storage unavailable")
                }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "WireEvent": wire_event_schema(),
                "EventBatch": {
                    "type": "object", "additionalProperties": false,
                    "required": ["device_id", "events"],
                    "properties": {
                        "device_id": { "type": "string" },
                        "events": { "type": "array", "items": schema("WireEvent"),
                                    "maxItems": crate::protocol::MAX_BATCH_EVENTS }
                    }
                },
                "Conflict": {
                    "type": "object",
                    "properties": { "seq": { "type": "integer" }, "stored_hash": { "type": "string" },
                                    "received_hash": { "type": "string" } }
                },
                "ChainBreak": {
                    "type": "object",
                    "properties": { "device_id": { "type": "string" }, "seq": { "type": "integer" },
                                    "kind": { "enum": ["hash_mismatch", "prev_hash_mismatch"] },
                                    "expected": { "type": "string" }, "found": { "type": "string" } }
                },
                "IngestReply": {
                    "type": "object",
                    "properties": {
                        "acked_through": { "type": "integer" },
                        "stored": { "type": "integer" },
                        "duplicates": { "type": "integer" },
                        "conflicts": { "type": "array", "items": schema("Conflict") },
                        "chain_breaks": { "type": "array", "items": schema("ChainBreak") },
                        "clock_skew_seconds": { "type": "integer" }
                    }
                },
                "EnrollRequest": {
                    "type": "object", "additionalProperties": false,
                    "required": ["code", "device_id"],
                    "properties": { "code": { "type": "string" }, "device_id": { "type": "string" } }
                },
                "EnrollReply": {
                    "type": "object",
                    "properties": { "device_id": { "type": "string" }, "token": { "type": "string" } }
                },
                "ReferenceChanges": {
                    "type": "object",
                    "required": ["cursor", "changes"],
                    "properties": {
                        "cursor": { "type": "string" },
                        "changes": {
                            "type": "object",
                            "description": "Records to insert or replace, one array per kind; see docs/server-import.md.",
                            "properties": {
                                "products": { "type": "array" }, "locations": { "type": "array" },
                                "suppliers": { "type": "array" }, "customers": { "type": "array" },
                                "purchase_orders": { "type": "array" },
                                "sales_orders": { "type": "array" },
                                "lot_statuses": { "type": "array" }, "operators": { "type": "array" }
                            }
                        }
                    }
                },
                "TraceReport": {
                    "type": "object",
                    "description": "See docs/server-exports.md (Recall trace).",
                    "required": ["gtin", "receipts", "cartons", "shipments", "stock"],
                    "properties": {
                        "gtin": { "type": "string" }, "lot": nullable_text(),
                        "product": nullable_text(), "expiry": nullable_text(),
                        "receipts": { "type": "array" }, "cartons": { "type": "array" },
                        "shipments": { "type": "array" }, "stock": { "type": "array" }
                    }
                },
                "ExpiringLot": {
                    "type": "object",
                    "properties": {
                        "gtin": { "type": "string" }, "lot": nullable_text(),
                        "expiry": { "type": "string", "format": "date" },
                        "days_left": { "type": "integer" }, "quantity": { "type": "integer" },
                        "unit": { "type": "string" },
                        "by_location": { "type": "object",
                                         "additionalProperties": { "type": "integer" } }
                    }
                },
                "Health": {
                    "type": "object",
                    "properties": { "status": { "type": "string" }, "version": { "type": "string" },
                                    "protocol": { "type": "integer" } }
                },
                "Problem": {
                    "type": "object",
                    "properties": { "type": { "type": "string" }, "title": { "type": "string" },
                                    "status": { "type": "integer" }, "detail": { "type": "string" },
                                    "field": { "type": "string" } }
                }
            }
        }
    })
}
