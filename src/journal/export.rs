//! Every event out as JSON lines or CSV, with stable field names, for
//! audits, support and other tools. Both formats come from one field list.

use std::io::{self, Write};

use super::error::{JournalError, Result};
use super::event::{Event, iso_date};
use super::{Journal, store};

/// The export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per line; absent fields are `null`.
    Jsonl,
    /// RFC 4180 CSV with a header row; absent fields are empty.
    Csv,
}

/// One exported value.
enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// The exported field names, in column order.
pub const FIELDS: [&str; 21] = [
    "event_id",
    "device_id",
    "seq",
    "recorded_at",
    "operator",
    "kind",
    "gtin",
    "lot",
    "expiry",
    "serial",
    "sscc",
    "quantity",
    "unit",
    "from_location",
    "to_location",
    "purchase_order",
    "sales_order",
    "reason",
    "correction_of",
    "prev_hash",
    "hash",
];

/// `event`'s values in [`FIELDS`] order.
fn values(event: &Event) -> [Value; 21] {
    let b = &event.body;
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::Text);
    [
        Value::Text(event.event_id.to_string()),
        Value::Text(event.device_id.clone()),
        Value::Int(i64::try_from(event.seq).unwrap_or(i64::MAX)),
        Value::Text(
            event
                .recorded_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        ),
        Value::Text(b.operator.clone()),
        Value::Text(b.kind.as_str().to_owned()),
        text(&b.gtin),
        text(&b.lot),
        b.expiry.map_or(Value::Null, |d| Value::Text(iso_date(d))),
        text(&b.serial),
        text(&b.sscc),
        Value::Int(b.quantity),
        Value::Text(b.unit.clone()),
        text(&b.from_location),
        text(&b.to_location),
        text(&b.purchase_order),
        text(&b.sales_order),
        text(&b.reason),
        b.correction_of
            .map_or(Value::Null, |id| Value::Text(id.to_string())),
        Value::Text(event.prev_hash.to_string()),
        Value::Text(event.hash.to_string()),
    ]
}

fn write_json_line(out: &mut impl Write, event: &Event) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, (name, value)) in FIELDS.iter().zip(values(event)).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "\"{name}\":")?;
        match value {
            Value::Null => out.write_all(b"null")?,
            Value::Int(n) => write!(out, "{n}")?,
            Value::Text(s) => serde_json::to_writer(&mut *out, &s)?,
        }
    }
    out.write_all(b"}\n")
}

/// Writes one CSV field, quoted when it holds a comma, quote or line break.
fn write_csv_field(out: &mut impl Write, field: &str) -> io::Result<()> {
    if field.contains([',', '"', '\n', '\r']) {
        write!(out, "\"{}\"", field.replace('"', "\"\""))
    } else {
        out.write_all(field.as_bytes())
    }
}

fn write_csv_row(out: &mut impl Write, event: &Event) -> io::Result<()> {
    for (i, value) in values(event).into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        match value {
            Value::Null => {}
            Value::Int(n) => write!(out, "{n}")?,
            Value::Text(s) => write_csv_field(out, &s)?,
        }
    }
    out.write_all(b"\r\n")
}

impl Journal {
    /// Writes every event, in seq order, to `out`. Returns how many.
    pub fn export(&self, format: ExportFormat, out: &mut impl Write) -> Result<u64> {
        let io_error = JournalError::Output;
        if format == ExportFormat::Csv {
            out.write_all(FIELDS.join(",").as_bytes())
                .and_then(|()| out.write_all(b"\r\n"))
                .map_err(io_error)?;
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM events ORDER BY seq",
            store::EVENT_COLUMNS
        ))?;
        let mut rows = stmt.query([])?;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let event = store::event_from_row(row)?;
            match format {
                ExportFormat::Jsonl => write_json_line(out, &event),
                ExportFormat::Csv => write_csv_row(out, &event),
            }
            .map_err(io_error)?;
            count += 1;
        }
        out.flush().map_err(io_error)?;
        Ok(count)
    }
}
