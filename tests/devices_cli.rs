//! `lotline devices` end to end: the real binary lists what it can see,
//! reports configured devices, and probes them.

use std::process::{Command, Output};

fn lotline(config: &std::path::Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp home");
    Command::new(env!("CARGO_BIN_EXE_lotline"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("LOTLINE_DATA_DIR")
        .output()
        .expect("run lotline")
}

#[test]
fn lists_hardware_and_probes_configured_devices() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.txt");
    std::fs::write(&demo, "scan LOC-A-01\nscan ]E04006381333931\nscan \\bad\n").unwrap();
    let config = dir.path().join("lotline.toml");
    std::fs::write(
        &config,
        format!(
            "[[devices.serial]]\nname = \"dock\"\npath = \"/dev/lotline-absent\"\n\
             [[devices.hid]]\nname = \"gun\"\nusb = \"05e0:1200\"\nmode = \"pos\"\n\
             [[devices.simulator]]\nname = \"demo\"\nfile = \"{}\"\n",
            demo.display()
        ),
    )
    .unwrap();
    let output = lotline(&config, &["devices", "--probe", "0.5"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for heading in [
        "Serial ports:",
        "USB devices:",
        "Configured devices:",
        "Probe (0.5 s):",
    ] {
        assert!(stdout.contains(heading), "{heading}: {stdout}");
    }
    assert!(
        stdout.contains("dock  serial  /dev/lotline-absent (not present)"),
        "{stdout}"
    );
    assert!(stdout.contains("gun  hid  usb 05e0:1200"), "{stdout}");
    let probe = stdout.split("Probe").nth(1).unwrap();
    let line = |name: &str| {
        probe
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {probe}"))
            .to_owned()
    };
    assert!(
        line("demo").contains("scans=2 tag_reads=0 garbage=0 errors=1"),
        "{probe}"
    );
    assert!(
        line("dock").contains("error (cannot open the serial port /dev/lotline-absent"),
        "{probe}"
    );
    assert!(
        line("gun").contains("stopped") || line("gun").contains("error"),
        "{probe}"
    );
}

#[test]
fn a_bad_devices_section_is_refused_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("lotline.toml");
    std::fs::write(&config, "[[devices.serial]]\nname = \"x\"\n").unwrap();
    let output = lotline(&config, &["devices"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("lotline.toml") && stderr.contains("exactly one of"),
        "{stderr}"
    );
}

#[test]
fn headless_takes_scans_from_configured_devices() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.txt");
    std::fs::write(&demo, "scan BADGE-77\n").unwrap();
    let config = dir.path().join("lotline.toml");
    std::fs::write(
        &config,
        format!(
            "[[devices.simulator]]\nname = \"demo\"\nfile = \"{}\"\n",
            demo.display()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotline"))
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["headless", "--devices"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run lotline");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains("\\\"BADGE-77\\\" is not known"), "{line}");
    // The input ending ends the session.
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}
