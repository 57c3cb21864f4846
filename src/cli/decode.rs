//! `lotline decode`: decodes each argument, or each line of standard input,
//! and prints a readable table or one JSON object per input.
//!
//! The JSON field names are a contract other tools rely on; see
//! `docs/decode.md`.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use crate::scan::{self, DecodeOptions, Element, Measure, Scan, ScanKind, Symbology};

/// Arguments of `lotline decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// One JSON object per input, on its own line, instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The reference date for the GS1 century rule (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// Data to decode; standard input, line by line, when none is given. GS
    /// (FNC1) may be the byte 0x1D or the escape `\x1d`; RFID EPCs are
    /// written `epc:` followed by the hex EPC.
    #[arg(value_name = "DATA")]
    pub data: Vec<String>,
}

/// Runs the command; returns whether every input decoded (the exit status).
pub fn run(args: &DecodeArgs, input: impl BufRead, out: &mut impl Write) -> Result<bool> {
    let options = match args.today {
        Some(today) => DecodeOptions { today },
        None => DecodeOptions::now(),
    };
    let mut all_ok = true;
    let mut emit = |raw: &str| -> Result<()> {
        let data = unescape_gs(raw);
        let result = scan::decode(&data, &options);
        all_ok &= result.is_ok();
        if args.json {
            write_json(out, &data, &result)
        } else {
            write_table(out, &data, &result)
        }
    };
    if args.data.is_empty() {
        for line in input.lines() {
            let line = line.context("reading standard input")?;
            let line = line.strip_suffix('\r').unwrap_or(&line);
            if !line.is_empty() {
                emit(line)?;
            }
        }
    } else {
        for raw in &args.data {
            emit(raw)?;
        }
    }
    out.flush()?;
    Ok(all_ok)
}

/// Replaces the typed escape `\x1d` (any case) with the GS byte a scanner
/// would send for FNC1.
pub fn unescape_gs(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.len() >= 4 && tail[..4].eq_ignore_ascii_case("\\x1d") {
            out.push(scan::GS as char);
            rest = &tail[4..];
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The JSON object for one successfully decoded input.
#[derive(Serialize)]
struct DecodedJson<'a> {
    input: &'a str,
    ok: bool,
    kind: ScanKind,
    symbology: Option<Symbology>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    elements: &'a [Element],
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lot: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sscc: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gln: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gln_extension: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    best_before: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    production_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<u64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    measures: &'a [Measure],
    #[serde(skip_serializing_if = "Option::is_none")]
    order_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    epc: Option<EpcJson>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: &'a [String],
}

/// The `epc` member of a decoded RFID tag.
#[derive(Serialize)]
struct EpcJson {
    scheme: &'static str,
    id_uri: String,
    tag_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<u8>,
}

/// The JSON object for an input that failed.
#[derive(Serialize)]
struct FailedJson<'a> {
    input: &'a str,
    ok: bool,
    error: String,
}

fn write_json(
    out: &mut impl Write,
    input: &str,
    result: &Result<Scan, scan::ScanError>,
) -> Result<()> {
    match result {
        Ok(scan) => serde_json::to_writer(&mut *out, &decoded_json(input, scan))?,
        Err(e) => serde_json::to_writer(
            &mut *out,
            &FailedJson {
                input,
                ok: false,
                error: e.to_string(),
            },
        )?,
    }
    writeln!(out)?;
    Ok(())
}

fn decoded_json<'a>(input: &'a str, scan: &'a Scan) -> DecodedJson<'a> {
    let id = &scan.identity;
    DecodedJson {
        input,
        ok: true,
        kind: scan.kind,
        symbology: scan.symbology,
        elements: &scan.elements,
        text: scan.text.as_deref(),
        gtin: id.gtin.as_deref(),
        lot: id.lot.as_deref(),
        serial: id.serial.as_deref(),
        sscc: id.sscc.as_deref(),
        gln: id.gln.as_deref(),
        gln_extension: id.gln_extension.as_deref(),
        expiry: id.expiry,
        best_before: id.best_before,
        production_date: id.production_date,
        quantity: id.quantity,
        measures: &id.measures,
        order_number: id.order_number.as_deref(),
        epc: scan.epc.as_ref().map(|epc| EpcJson {
            scheme: epc.scheme().name(),
            id_uri: epc.id_uri(),
            tag_uri: epc.tag_uri(),
            filter: epc.filter(),
        }),
        notes: &scan.notes,
    }
}

/// Shows GS as `<GS>` so a person can see where separators were.
fn visible(data: &str) -> String {
    data.replace(scan::GS as char, "<GS>")
}

fn write_table(
    out: &mut impl Write,
    input: &str,
    result: &Result<Scan, scan::ScanError>,
) -> Result<()> {
    writeln!(out, "{:<16}{}", "input", visible(input))?;
    match result {
        Err(e) => writeln!(out, "{:<16}{e}", "ERROR")?,
        Ok(scan) => {
            let json = serde_json::to_value(decoded_json(input, scan))?;
            let kind = json["kind"].as_str().unwrap_or_default();
            match scan.symbology {
                Some(symbology) => writeln!(out, "{:<16}{kind} ({symbology})", "kind")?,
                None => writeln!(out, "{:<16}{kind}", "kind")?,
            }
            for element in &scan.elements {
                let label = format!("({})", element.ai);
                writeln!(out, "  {label:<14}{:<24}{}", element.value, element.title)?;
            }
            for key in [
                "text",
                "gtin",
                "lot",
                "serial",
                "sscc",
                "gln",
                "gln_extension",
                "expiry",
                "best_before",
                "production_date",
                "quantity",
                "order_number",
            ] {
                match &json[key] {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => writeln!(out, "{key:<16}{}", visible(s))?,
                    other => writeln!(out, "{key:<16}{other}")?,
                }
            }
            for m in &scan.identity.measures {
                writeln!(out, "{:<16}{} {} ({})", m.quantity, m.value, m.unit, m.ai)?;
            }
            if let Some(epc) = &scan.epc {
                writeln!(out, "{:<16}{}", "epc scheme", epc.scheme().name())?;
                writeln!(out, "{:<16}{}", "epc id", epc.id_uri())?;
                writeln!(out, "{:<16}{}", "epc tag", epc.tag_uri())?;
            }
            for note in &scan.notes {
                writeln!(out, "{:<16}{note}", "note")?;
            }
        }
    }
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gs_escape_is_replaced_in_any_case() {
        assert_eq!(unescape_gs(r"10ABC\x1d17261231"), "10ABC\u{1d}17261231");
        assert_eq!(unescape_gs(r"a\X1Db"), "a\u{1d}b");
        assert_eq!(unescape_gs(r"a\\b\x1"), r"a\\b\x1");
        assert_eq!(unescape_gs("\\"), "\\");
    }

    #[test]
    fn visible_marks_separators() {
        assert_eq!(visible("10A\u{1d}21B"), "10A<GS>21B");
    }
}
