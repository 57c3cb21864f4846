//! `lotline headless`: the workflow engine over JSON lines, for fixed-mount
//! stations, scripting and tests. Each input line is `{"scan": "<data>"}`
//! or `{"do": "<action>", ...}` (optionally with `"at"`, an RFC 3339 time);
//! each answer is one line of feedback JSON. See `docs/headless.md`.
//! On an enrolled terminal the background sync service runs beside it and
//! is nudged after every step that recorded events.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::Args;
use serde_json::{Map, Value};

use crate::devices::{DeviceEvent, DevicesConfig, Supervisor};
use crate::journal::Journal;
use crate::sync::Nudger;
use crate::text;
use crate::workflow::{Action, Engine, Feedback, Input, WorkflowSettings};
use crate::workflow_config::{CartonConfig, ShelfLifePolicy, WorkflowConfig};

/// Arguments of `lotline headless`. The settings come from the
/// `[workflow]` section of the configuration; each flag overrides its key.
#[derive(Debug, Default, Args)]
pub struct HeadlessArgs {
    /// Read the input lines from FILE instead of standard input.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// Location code receipts are recorded to and putaway moves from.
    #[arg(long, value_name = "CODE")]
    pub receiving_location: Option<String>,
    /// Location code picked goods go to and are shipped from.
    #[arg(long, value_name = "CODE")]
    pub packing_location: Option<String>,
    /// Site code, the `{site}` of the lot pattern.
    #[arg(long, value_name = "CODE")]
    pub site: Option<String>,
    /// Pattern of lot numbers assigned when the supplier gives none.
    #[arg(long, value_name = "PATTERN")]
    pub lot_pattern: Option<String>,
    /// What a receipt with less than the product's minimum shelf life gets.
    #[arg(long, value_enum)]
    pub short_shelf_life: Option<ShelfLifePolicy>,
    /// GS1 company prefix for cartons this station numbers itself.
    #[arg(long, value_name = "DIGITS")]
    pub carton_prefix: Option<String>,
    /// This station's number within the company prefix's SSCC range.
    #[arg(long, value_name = "DIGITS", requires = "carton_prefix")]
    pub carton_station: Option<String>,
    /// Also take scans and RFID tag bursts from the devices in the
    /// configuration's `[devices]` section until the input ends: a scan is
    /// answered like a `scan` line, a burst with one answer (while
    /// receiving, one receipt per product read).
    #[arg(long)]
    pub devices: bool,
}

impl HeadlessArgs {
    /// The engine settings: `config`'s, with the flags given applied.
    pub fn settings(&self, config: &WorkflowConfig) -> Result<WorkflowSettings> {
        let mut config = config.clone();
        let overrides = [
            (&self.receiving_location, &mut config.receiving_location),
            (&self.packing_location, &mut config.packing_location),
            (&self.site, &mut config.site),
            (&self.lot_pattern, &mut config.lot_pattern),
        ];
        for (flag, key) in overrides {
            if let Some(value) = flag {
                key.clone_from(value);
            }
        }
        if let Some(policy) = self.short_shelf_life {
            config.short_shelf_life = policy;
        }
        if let Some(prefix) = &self.carton_prefix {
            let extension = config.cartons.as_ref().map_or(0, |c| c.extension);
            config.cartons = Some(CartonConfig {
                company_prefix: prefix.clone(),
                extension,
                station: self.carton_station.clone().unwrap_or_default(),
            });
        }
        config.settings()
    }
}

/// Runs the engine on the journal at `journal_path` (created if missing),
/// answering each non-blank line of `input` with one line on `out`, and
/// nudging `sync` (when given) after each step that recorded events.
pub fn run(
    settings: WorkflowSettings,
    journal_path: &Path,
    input: impl BufRead,
    out: &mut impl Write,
    sync: Option<&Nudger>,
) -> Result<()> {
    let mut engine = open_engine(settings, journal_path)?;
    for (index, line) in input.lines().enumerate() {
        let line = line.context("reading the input")?;
        if line.trim().is_empty() {
            continue;
        }
        let feedback = step(&mut engine, sync, |e| handle_line(e, &line, index + 1));
        answer(out, &feedback)?;
    }
    Ok(())
}

/// Like [`run`], and also feeds the engine every scan and tag burst from
/// the configured devices, as they come, until `input` ends.
pub fn run_with_devices(
    settings: WorkflowSettings,
    journal_path: &Path,
    devices: &DevicesConfig,
    input: impl BufRead + Send + 'static,
    out: &mut impl Write,
    sync: Option<&Nudger>,
) -> Result<()> {
    let mut engine = open_engine(settings, journal_path)?;
    let (line_tx, lines) = crossbeam_channel::bounded(64);
    std::thread::spawn(move || {
        for line in input.lines().enumerate() {
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });
    let (event_tx, events) = crossbeam_channel::unbounded();
    let supervisor = Supervisor::start(devices, event_tx)?;
    loop {
        crossbeam_channel::select! {
            recv(lines) -> line => {
                let Ok((index, line)) = line else { break };
                let line = line.context("reading the input")?;
                if !line.trim().is_empty() {
                    let feedback = step(&mut engine, sync, |e| handle_line(e, &line, index + 1));
                    answer(out, &feedback)?;
                }
            }
            recv(events) -> event => {
                if let Ok(event) = event
                    && let Some(feedback) =
                        step(&mut engine, sync, |e| handle_device_event(e, event))
                {
                    answer(out, &feedback)?;
                }
            }
        }
    }
    supervisor.stop();
    Ok(())
}

/// Opens the journal (creating the data directory) and the engine.
fn open_engine(settings: WorkflowSettings, journal_path: &Path) -> Result<Engine> {
    if let Some(dir) = journal_path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    let journal = Journal::open(journal_path)
        .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
    Ok(Engine::new(journal, settings))
}

/// Runs one step through `engine`; when it recorded events, nudges `sync`
/// so they are sent at once.
fn step<T>(engine: &mut Engine, sync: Option<&Nudger>, run: impl FnOnce(&mut Engine) -> T) -> T {
    let before = engine.journal().last_seq();
    let answer = run(engine);
    if engine.journal().last_seq() != before
        && let Some(sync) = sync
    {
        sync.nudge();
    }
    answer
}

/// Writes one feedback line.
fn answer(out: &mut impl Write, feedback: &Feedback) -> Result<()> {
    serde_json::to_writer(&mut *out, feedback)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A device event through the engine (see [`Input::from_device`]): one
/// answer for a scan or a tag burst, none for connection changes.
fn handle_device_event(engine: &mut Engine, event: DeviceEvent) -> Option<Feedback> {
    Input::from_device(event).map(|input| match input {
        Ok(input) => input.run(engine),
        Err(refusal) => refusal,
    })
}

/// One input line through the engine; a malformed line is answered with a
/// block naming the line, and the session goes on.
fn handle_line(engine: &mut Engine, line: &str, number: usize) -> Feedback {
    let refuse = |why: String| Feedback::block(text!("Input line {number}: {why}", number, why));
    let mut fields = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => return refuse("expected a JSON object".into()),
        Err(e) => return refuse(format!("not valid JSON: {e}")),
    };
    let now = match take_time(&mut fields) {
        Ok(now) => now,
        Err(why) => return refuse(why),
    };
    match fields.remove("scan") {
        Some(Value::String(data)) if fields.is_empty() => engine.scan(&data, now),
        Some(Value::String(_)) => refuse("a scan line has only \"scan\" (and \"at\")".into()),
        Some(_) => refuse("\"scan\" must be a string".into()),
        None => match serde_json::from_value::<Action>(Value::Object(fields)) {
            Ok(action) => engine.act(action, now),
            Err(e) => refuse(format!("not a scan or a known action: {e}")),
        },
    }
}

/// The line's `"at"` time (removed from `fields`), or the clock's now.
fn take_time(fields: &mut Map<String, Value>) -> Result<DateTime<Utc>, String> {
    match fields.remove("at") {
        None => Ok(Utc::now()),
        Some(Value::String(text)) => DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| format!("\"at\" {text:?} is not an RFC 3339 time: {e}")),
        Some(_) => Err("\"at\" must be an RFC 3339 time string".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::Level;

    fn engine() -> (tempfile::TempDir, Engine) {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
        let settings = WorkflowConfig::default().settings().unwrap();
        (dir, Engine::new(journal, settings))
    }

    #[test]
    fn flags_override_the_workflow_section() {
        let config = WorkflowConfig {
            receiving_location: "DOCK-2".into(),
            ..WorkflowConfig::default()
        };
        let defaults = HeadlessArgs::default().settings(&config).unwrap();
        assert_eq!(defaults.receiving_location, "DOCK-2");
        assert!(defaults.carton_numbering.is_none());
        let args = HeadlessArgs {
            packing_location: Some("PACK-9".into()),
            short_shelf_life: Some(ShelfLifePolicy::Block),
            carton_prefix: Some("0614141".into()),
            carton_station: Some("3".into()),
            ..HeadlessArgs::default()
        };
        let settings = args.settings(&config).unwrap();
        assert_eq!(settings.receiving_location, "DOCK-2");
        assert_eq!(settings.packing_location, "PACK-9");
        assert_eq!(
            settings.short_shelf_life,
            crate::workflow::ShortShelfLife::Block
        );
        let sscc = settings.carton_numbering.unwrap().sscc(5).unwrap();
        assert!(sscc.starts_with("006141413"), "{sscc}");
        let bad = HeadlessArgs {
            carton_prefix: Some("12".into()),
            ..HeadlessArgs::default()
        };
        assert!(bad.settings(&config).is_err());
    }

    #[test]
    fn malformed_lines_are_blocked_with_their_number() {
        let (_dir, mut engine) = engine();
        let cases = [
            ("[1]", "Input line 3: expected a JSON object"),
            ("{\"scan\": 5}", "Input line 3: \"scan\" must be a string"),
            (
                "{\"scan\": \"X\", \"do\": \"lookup\"}",
                "Input line 3: a scan line",
            ),
            (
                "{\"do\": \"fly\"}",
                "Input line 3: not a scan or a known action",
            ),
            (
                "{\"do\": \"lookup\", \"at\": \"noon\"}",
                "Input line 3: \"at\" \"noon\"",
            ),
            (
                "{\"nothing\": 1}",
                "Input line 3: not a scan or a known action",
            ),
            ("{", "Input line 3: not valid JSON"),
        ];
        for (line, start) in cases {
            let fb = handle_line(&mut engine, line, 3);
            assert_eq!(fb.level, Level::Block);
            assert!(fb.message.starts_with(start), "{line}: {}", fb.message);
        }
    }

    #[test]
    fn scans_and_actions_reach_the_engine() {
        let (_dir, mut engine) = engine();
        let fb = handle_line(
            &mut engine,
            r#"{"scan": "BADGE-1", "at": "2026-11-25T09:00:00Z"}"#,
            1,
        );
        assert!(
            fb.message.contains("\"BADGE-1\" is not known"),
            "{}",
            fb.message
        );
        let fb = handle_line(&mut engine, r#"{"do": "sign-out"}"#, 2);
        assert_eq!(fb.message, "Nobody is signed in");
    }

    #[test]
    fn device_reads_reach_the_engine_and_status_events_do_not() {
        use crate::devices::event::{ScanRead, Stamp};
        let (_dir, mut engine) = engine();
        let read = ScanRead::new(b"BADGE-9".to_vec(), "gun", Stamp::now());
        let fb = handle_device_event(&mut engine, DeviceEvent::Scan(read)).unwrap();
        assert!(
            fb.message.contains("\"BADGE-9\" is not known"),
            "{}",
            fb.message
        );
        let bad = ScanRead::new(vec![0xff], "gun", Stamp::now());
        let fb = handle_device_event(&mut engine, DeviceEvent::Scan(bad)).unwrap();
        assert_eq!(fb.level, Level::Block);
        let connected = DeviceEvent::Connected {
            device: "gun".into(),
        };
        assert!(handle_device_event(&mut engine, connected).is_none());
    }

    #[test]
    fn a_tag_burst_is_one_answer_and_a_lone_tag_a_burst_of_one() {
        use crate::devices::event::{Stamp, TagBurst, TagRead};
        use crate::devices::rfid::dedupe::AggregatedRead;
        use crate::devices::rfid::simulator::SimTag;
        let (_dir, mut engine) = engine();
        let case = |serial: u32| {
            let uri = format!("urn:epc:tag:sgtin-96:1.0614141.812345.{serial}");
            SimTag::from_tag_uri(&uri, -50, 1).unwrap().epc
        };
        let read = |epc: Vec<u8>| AggregatedRead {
            epc,
            first_seen: std::time::Instant::now(),
            first_seen_utc: Utc::now(),
            last_seen: std::time::Instant::now(),
            count: 3,
            best_rssi: -50,
            antenna: 1,
        };
        let burst = TagBurst {
            reads: vec![read(case(1)), read(case(2))],
            reader: "door".into(),
            at: Stamp::now(),
        };
        let fb = handle_device_event(&mut engine, DeviceEvent::TagBurst(burst)).unwrap();
        assert_eq!(fb.message, "Nobody is signed in: scan your badge first");
        let tag = TagRead {
            epc: case(1),
            rssi: None,
            antenna: None,
            reader: "sim".into(),
            at: Stamp::now(),
        };
        // One tag is handled as a scan of it: here, a sign-in attempt.
        let fb = handle_device_event(&mut engine, DeviceEvent::TagRead(tag)).unwrap();
        assert_eq!(fb.level, Level::Block);
        assert!(fb.message.contains("is not known"), "{}", fb.message);
    }
}
