//! `GET /metrics`: what monitoring needs to know about the terminals, in
//! Prometheus' text exposition format (version 0.0.4), written by hand —
//! a few lines do not need a metrics library. Every value is read from the
//! database at scrape time, so several servers on one PostgreSQL report
//! the same numbers and nothing resets on restart. Metric meanings:
//! `docs/server.md`.

use std::fmt::Write;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::AppState;
use super::error::ApiError;
use crate::server::store::DeviceActivity;

/// The media type of the exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let devices = state.store.device_activity().await?;
    let mut response = render(&devices).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    Ok(response)
}

/// One metric family: `# HELP`, `# TYPE`, then its samples.
struct Family<'a> {
    out: &'a mut String,
    name: &'static str,
}

impl<'a> Family<'a> {
    fn new(out: &'a mut String, name: &'static str, kind: &str, help: &str) -> Family<'a> {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "# HELP {name} {}", escape_help(help));
        let _ = writeln!(out, "# TYPE {name} {kind}");
        Family { out, name }
    }

    /// A sample with one label.
    fn sample(&mut self, label: &str, value: &str, sample: impl std::fmt::Display) {
        let _ = writeln!(
            self.out,
            "{}{{{label}=\"{}\"}} {sample}",
            self.name,
            escape_label(value)
        );
    }
}

/// A label value as the format wants it: backslash, double quote and line
/// feed escaped (a device name is whatever the administrator typed).
fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A `# HELP` text: backslash and line feed escaped.
fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

/// Seconds since the Unix epoch, with the stored microseconds.
fn unix_seconds(time: DateTime<Utc>) -> f64 {
    time.timestamp_micros() as f64 / 1e6
}

/// The exposition of `devices`. Per-device samples are labelled with the
/// device's name and cover every device that ever enrolled (revoked ones
/// too: their counters must not vanish).
pub fn render(devices: &[DeviceActivity]) -> String {
    let mut out = String::new();
    Family::new(
        &mut out,
        "lotline_build_info",
        "gauge",
        "The server's version; always 1.",
    )
    .sample("version", env!("CARGO_PKG_VERSION"), 1);

    let state = |d: &DeviceActivity| match (&d.device.device_id, d.device.revoked_at) {
        (_, Some(_)) => "revoked",
        (None, None) => "awaiting_enrollment",
        (Some(_), None) => "enrolled",
    };
    let mut family = Family::new(
        &mut out,
        "lotline_devices",
        "gauge",
        "Devices by state: awaiting_enrollment, enrolled, revoked.",
    );
    for name in ["awaiting_enrollment", "enrolled", "revoked"] {
        family.sample(
            "state",
            name,
            devices.iter().filter(|d| state(d) == name).count(),
        );
    }

    let enrolled: Vec<&DeviceActivity> = devices
        .iter()
        .filter(|d| d.device.device_id.is_some())
        .collect();
    type Count = fn(&DeviceActivity) -> u64;
    let counters: [(&str, &str, Count); 3] = [
        (
            "lotline_events_ingested_total",
            "Events stored from the device (its contiguous seqs from 1).",
            |d| d.device.acked_through,
        ),
        (
            "lotline_ingest_conflicts_total",
            "Events the device sent for a seq already stored with another hash (never overwritten).",
            |d| d.conflicts,
        ),
        (
            "lotline_chain_breaks_total",
            "Hash-chain breaks flagged in the device's stored events.",
            |d| d.device.chain_breaks,
        ),
    ];
    for (name, help, count) in counters {
        let mut family = Family::new(&mut out, name, "counter", help);
        for d in &enrolled {
            family.sample("device", &d.device.name, count(d));
        }
    }
    let mut family = Family::new(
        &mut out,
        "lotline_device_last_seen_seconds",
        "gauge",
        "Unix time of the device's last upload (absent until its first).",
    );
    for d in &enrolled {
        if let Some(at) = d.last_seen_at {
            family.sample("device", &d.device.name, unix_seconds(at));
        }
    }
    let mut family = Family::new(
        &mut out,
        "lotline_device_sync_lag_seconds",
        "gauge",
        "Server receive time minus device record time of the device's newest stored event \
         (negative when the device clock is ahead).",
    );
    for d in &enrolled {
        if let Some(newest) = d.newest_event {
            let lag = newest.received_at - newest.recorded_at;
            family.sample(
                "device",
                &d.device.name,
                lag.num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::{DeviceInfo, NewestEvent};

    fn at(seconds: i64, micros: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, micros * 1000).unwrap()
    }

    fn device(name: &str, device_id: Option<&str>, revoked: bool) -> DeviceActivity {
        DeviceActivity {
            device: DeviceInfo {
                name: name.into(),
                device_id: device_id.map(Into::into),
                created_at: at(1_800_000_000, 0),
                enrolled_at: device_id.map(|_| at(1_800_000_001, 0)),
                revoked_at: revoked.then(|| at(1_800_000_002, 0)),
                acked_through: 0,
                chain_breaks: 0,
            },
            last_seen_at: None,
            conflicts: 0,
            newest_event: None,
        }
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label(r#"dock "3"\a"#), r#"dock \"3\"\\a"#);
        assert_eq!(escape_label("two\nlines"), "two\\nlines");
        assert_eq!(escape_help("a\\b\nc"), "a\\\\b\\nc");
    }

    #[test]
    fn every_family_is_typed_and_samples_follow_the_devices() {
        let mut busy = device("dock \"1\"", Some("dev-1"), false);
        busy.device.acked_through = 42;
        busy.device.chain_breaks = 1;
        busy.conflicts = 2;
        busy.last_seen_at = Some(at(1_800_000_100, 250_000));
        busy.newest_event = Some(NewestEvent {
            recorded_at: at(1_800_000_090, 0),
            received_at: at(1_800_000_100, 250_000),
        });
        let devices = [
            busy,
            device("pending", None, false),
            device("old", Some("dev-0"), true),
        ];
        let text = render(&devices);
        let lines: Vec<&str> = text.lines().collect();
        for needed in [
            r#"lotline_devices{state="awaiting_enrollment"} 1"#,
            r#"lotline_devices{state="enrolled"} 1"#,
            r#"lotline_devices{state="revoked"} 1"#,
            r#"lotline_events_ingested_total{device="dock \"1\""} 42"#,
            r#"lotline_events_ingested_total{device="old"} 0"#,
            r#"lotline_ingest_conflicts_total{device="dock \"1\""} 2"#,
            r#"lotline_chain_breaks_total{device="dock \"1\""} 1"#,
            r#"lotline_device_last_seen_seconds{device="dock \"1\""} 1800000100.25"#,
            r#"lotline_device_sync_lag_seconds{device="dock \"1\""} 10.25"#,
            "# TYPE lotline_events_ingested_total counter",
            "# TYPE lotline_device_sync_lag_seconds gauge",
        ] {
            assert!(lines.contains(&needed), "missing {needed:?} in\n{text}");
        }
        // A device that never enrolled has no per-device samples, and one
        // that never uploaded no last-seen or lag sample.
        assert!(!text.contains(r#"device="pending""#), "{text}");
        assert!(
            !text.contains(r#"lotline_device_last_seen_seconds{device="old"}"#),
            "{text}"
        );
        // Every sample belongs to a family declared just before it.
        let mut declared = Vec::new();
        for line in &lines {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                declared.push(rest.split(' ').next().unwrap());
            } else if !line.starts_with('#') {
                let name = line.split('{').next().unwrap();
                assert_eq!(Some(&name), declared.last(), "{line}");
            }
        }
    }
}
