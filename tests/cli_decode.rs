//! `lotline decode` end to end: the real binary, its JSON contract, its exit
//! status, standard input and the `\x1d` escape.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn lotline(args: &[&str], stdin: Option<&str>) -> Output {
    let home = tempfile::tempdir().expect("temp home");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotline"))
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("LOTLINE_CONFIG")
        .env_remove("LOTLINE_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lotline");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("lotline output")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .expect("utf-8 output")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

#[test]
fn gs1_128_with_escape_and_century_rule() {
    let output = lotline(
        &[
            "decode",
            "--json",
            "--today",
            "2026-11-25",
            r"]C10109506000134352172602001010ABC123\x1d21S/N1",
        ],
        None,
    );
    assert!(output.status.success(), "{output:?}");
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1);
    let v = &lines[0];
    assert_eq!(v["ok"], true);
    assert_eq!(v["kind"], "gs1");
    assert_eq!(v["symbology"], "gs1-128");
    assert_eq!(v["gtin"], "09506000134352");
    assert_eq!(
        v["expiry"], "2026-02-28",
        "day 00 is the last day of the month"
    );
    assert_eq!(v["lot"], "10ABC123");
    assert_eq!(v["serial"], "S/N1");
    assert_eq!(v["elements"][0]["ai"], "01");
    assert_eq!(v["elements"][0]["value"], "09506000134352");
    assert!(
        v.get("sscc").is_none(),
        "fields that do not apply are left out"
    );
}

#[test]
fn every_kind_from_standard_input_and_exit_status() {
    let input = "(01)09506000134352(10)LOT1\n\
                 ]Q1https://id.gs1.org/01/09506000134352/10/ABC?17=261231\n\
                 ]E04006381333931\n\
                 epc:3074257BF7194E4000001A85\n\
                 LOC-A-01\n\
                 ]C10109506000134353\n";
    let output = lotline(&["decode", "--json", "--today", "2026-11-25"], Some(input));
    assert_eq!(output.status.code(), Some(1), "one input fails");
    let lines = json_lines(&output);
    let kinds: Vec<&str> = lines
        .iter()
        .map(|v| v["kind"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        kinds,
        ["gs1", "digital-link", "gtin", "epc", "text", "-"],
        "{lines:#?}"
    );
    assert_eq!(lines[1]["expiry"], "2026-12-31");
    assert_eq!(lines[2]["gtin"], "04006381333931");
    assert_eq!(lines[3]["epc"]["scheme"], "sgtin-96");
    assert_eq!(lines[3]["epc"]["filter"], 3);
    assert_eq!(
        lines[3]["epc"]["tag_uri"],
        "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    );
    assert_eq!(lines[3]["gtin"], "80614141123458");
    assert_eq!(lines[3]["serial"], "6789");
    assert_eq!(lines[4]["text"], "LOC-A-01");
    assert_eq!(lines[5]["ok"], false);
    let error = lines[5]["error"].as_str().unwrap();
    assert!(error.contains("(01)"), "the error names the AI: {error}");
    assert_eq!(lines[5].as_object().unwrap().len(), 3, "input, ok, error");
}

#[test]
fn table_output_is_readable() {
    let output = lotline(
        &[
            "decode",
            "--today",
            "2026-11-25",
            "0109506000134352\u{1d}10LOT7",
        ],
        None,
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{text}");
    assert!(text.contains("gtin            09506000134352"), "{text}");
    assert!(text.contains("lot             LOT7"), "{text}");
}

#[test]
fn config_reports_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("site.toml");
    std::fs::write(&config, "log = \"warn\"\n").unwrap();
    let data = dir.path().join("data");
    let output = lotline(
        &[
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
            "config",
        ],
        None,
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{text}");
    assert!(text.contains(&format!("configuration file: {} (read)", config.display())));
    assert!(
        text.contains(&format!("data_dir = \"{}\"", data.display())),
        "{text}"
    );
    assert!(text.contains("log = \"warn\""), "{text}");
}

#[test]
fn broken_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "log = [\n").unwrap();
    let output = lotline(&["--config", config.to_str().unwrap(), "config"], None);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn server_identifies_itself() {
    let output = Command::new(env!("CARGO_BIN_EXE_lotline-server"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("lotline-server "), "{text}");
}
