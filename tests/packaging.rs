//! The Debian packaging, checked the fast way (no cargo-deb, no release
//! build): every asset the `[package.metadata.deb]` metadata names exists,
//! the systemd units have what they need and agree with the packages and
//! the configuration, the default configuration files load with the
//! project's own loader, the maintainer scripts are valid `sh` that create
//! the `lotline` user in the right groups, and `systemd-analyze verify`
//! accepts the units when it is installed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// One Debian package as the metadata describes it.
#[derive(Debug)]
struct Package {
    name: String,
    features: Vec<String>,
    /// `(source, destination, mode)`.
    assets: Vec<(String, String, u32)>,
    maintainer_scripts: Option<String>,
    /// `(unit-scripts directory, unit name)` of every systemd unit.
    units: Vec<(String, String)>,
}

impl Package {
    /// Every path the package installs (relative to /), with its source.
    fn installed(&self) -> BTreeMap<String, PathBuf> {
        let mut out = BTreeMap::new();
        for (source, dest, _) in &self.assets {
            for file in expand(source) {
                let path = if dest.ends_with('/') {
                    format!("{dest}{}", file.file_name().unwrap().to_str().unwrap())
                } else {
                    dest.clone()
                };
                let previous = out.insert(path.clone(), file);
                assert!(previous.is_none(), "{}: {path} installed twice", self.name);
            }
        }
        out
    }
}

fn manifest() -> toml::Table {
    fs::read_to_string(Path::new(ROOT).join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(|v| v.as_array())
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// The base package and every variant (a variant's keys replace the
/// base's, as cargo-deb does).
fn packages() -> Vec<Package> {
    let manifest = manifest();
    let deb = manifest["package"]["metadata"]["deb"].as_table().unwrap();
    let mut tables = vec![deb.clone()];
    if let Some(variants) = deb.get("variants").and_then(|v| v.as_table()) {
        for variant in variants.values() {
            let mut merged = deb.clone();
            merged.remove("variants");
            for (key, value) in variant.as_table().unwrap() {
                merged.insert(key.clone(), value.clone());
            }
            tables.push(merged);
        }
    }
    tables
        .into_iter()
        .map(|t| {
            let name = t["name"].as_str().unwrap().to_owned();
            let assets = t["assets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    let a = a.as_array().expect("assets as [source, dest, mode]");
                    let text = |i: usize| a[i].as_str().unwrap().to_owned();
                    let mode = u32::from_str_radix(&text(2), 8).expect("an octal mode");
                    (text(0), text(1), mode)
                })
                .collect();
            let units = match t.get("systemd-units") {
                None => Vec::new(),
                Some(toml::Value::Table(one)) => vec![unit_of(&name, one)],
                Some(toml::Value::Array(many)) => many
                    .iter()
                    .map(|u| unit_of(&name, u.as_table().unwrap()))
                    .collect(),
                Some(other) => panic!("systemd-units: {other}"),
            };
            Package {
                features: strings(t.get("features")),
                maintainer_scripts: t
                    .get("maintainer-scripts")
                    .map(|v| v.as_str().unwrap().to_owned()),
                units,
                assets,
                name,
            }
        })
        .collect()
}

/// cargo-deb's unit file for a `systemd-units` entry: `<unit-name>.service`,
/// or `<package>.service` without a unit name.
fn unit_of(package: &str, entry: &toml::Table) -> (String, String) {
    let dir = entry["unit-scripts"].as_str().unwrap().to_owned();
    let name = entry
        .get("unit-name")
        .map_or(package, |n| n.as_str().unwrap());
    (dir, name.to_owned())
}

/// The files an asset source names (`*` allowed in the file name).
fn expand(source: &str) -> Vec<PathBuf> {
    let path = Path::new(ROOT).join(source);
    let pattern = path.file_name().unwrap().to_str().unwrap().to_owned();
    if !pattern.contains('*') {
        return vec![path];
    }
    let (prefix, suffix) = pattern.split_once('*').unwrap();
    let mut found: Vec<PathBuf> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    found.sort();
    found
}

fn bin_names() -> BTreeSet<String> {
    manifest()["bin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_asset_exists_and_installs_somewhere_sane() {
    let packages = packages();
    let names: Vec<_> = packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["lotline-server", "lotline"]);
    let bins = bin_names();
    let features = manifest()["features"].as_table().unwrap().clone();
    for package in &packages {
        for feature in &package.features {
            assert!(
                features.contains_key(feature),
                "{}: {feature}",
                package.name
            );
        }
        for (source, dest, mode) in &package.assets {
            assert!(
                !dest.starts_with('/') && !dest.contains(".."),
                "{dest}: cargo-deb wants a relative destination"
            );
            if let Some(bin) = source.strip_prefix("target/release/") {
                assert!(bins.contains(bin), "{}: no [[bin]] {bin}", package.name);
                assert!(dest == "usr/bin/" && *mode == 0o755, "{source}");
                continue;
            }
            let files = expand(source);
            assert!(
                !files.is_empty(),
                "{}: {source} matches nothing",
                package.name
            );
            for file in files {
                assert!(
                    file.is_file(),
                    "{}: {} is missing",
                    package.name,
                    file.display()
                );
            }
            assert_eq!(*mode, 0o644, "{source}: data files are 644");
        }
        let installed = package.installed();
        assert!(
            installed.keys().any(|p| p.starts_with("usr/share/doc/")),
            "{}: ships its documentation",
            package.name
        );
    }
}

/// A unit file: section → `(key, value)` lines in order.
fn unit(dir: &str, name: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let path = Path::new(ROOT).join(dir).join(format!("{name}.service"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sections: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(section.to_owned());
            continue;
        }
        let (key, value) = line.split_once('=').expect("key=value");
        let section = current.clone().expect("a line before any section");
        sections
            .entry(section)
            .or_default()
            .push((key.to_owned(), value.to_owned()));
    }
    sections
}

fn value<'a>(
    unit: &'a BTreeMap<String, Vec<(String, String)>>,
    section: &str,
    key: &str,
) -> Option<&'a str> {
    unit.get(section)?
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn units_run_what_their_package_installs() {
    for package in packages() {
        let installed = package.installed();
        assert!(!package.units.is_empty(), "{} has a unit", package.name);
        for (dir, name) in &package.units {
            let u = unit(dir, name);
            let get = |section: &str, key: &str| {
                value(&u, section, key).unwrap_or_else(|| panic!("{name}: no {section}.{key}"))
            };
            assert!(!get("Unit", "Description").is_empty());
            assert_eq!(get("Install", "WantedBy"), "multi-user.target", "{name}");
            for (key, expected) in [
                ("User", "lotline"),
                ("Restart", "on-failure"),
                ("NoNewPrivileges", "yes"),
                ("ProtectSystem", "strict"),
                ("ProtectHome", "yes"),
                ("PrivateTmp", "yes"),
            ] {
                assert_eq!(get("Service", key), expected, "{name}: {key}");
            }

            // The program, its configuration and environment files come
            // with the package, and the configuration's data directory is
            // the unit's state directory.
            let exec: Vec<&str> = get("Service", "ExecStart").split_whitespace().collect();
            let program = exec[0].strip_prefix('/').unwrap();
            assert!(installed.contains_key(program), "{name}: {program}");
            let config = exec
                .iter()
                .position(|w| *w == "--config")
                .map(|i| exec[i + 1].strip_prefix('/').unwrap())
                .unwrap_or_else(|| panic!("{name}: ExecStart passes --config"));
            let source = installed
                .get(config)
                .unwrap_or_else(|| panic!("{name}: {config} not in {}", package.name));
            let settings = lotline::config::load(Some(source), None).unwrap();
            let state = format!("/var/lib/{}", get("Service", "StateDirectory"));
            assert_eq!(settings.data_dir, Path::new(&state), "{name}");
            if let Some(file) = value(&u, "Service", "EnvironmentFile") {
                let file = file.trim_start_matches('-').trim_start_matches('/');
                assert!(installed.contains_key(file), "{name}: {file}");
            }

            match name.as_str() {
                "lotline-server" => {
                    assert_eq!(get("Service", "PrivateDevices"), "yes");
                    assert_eq!(get("Service", "CapabilityBoundingSet"), "");
                    assert_eq!(get("Service", "MemoryDenyWriteExecute"), "yes");
                    assert_eq!(exec[exec.len() - 2..], ["serve", "$LOTLINE_SERVER_ARGS"]);
                }
                "lotline-kiosk" => {
                    assert!(get("Unit", "Conflicts").contains("getty@tty1.service"));
                    assert!(get("Unit", "After").contains("getty@tty1.service"));
                    assert_eq!(get("Service", "TTYPath"), "/dev/tty1");
                    assert!(
                        get("Service", "Environment").starts_with("SLINT_BACKEND=linuxkms"),
                        "the kiosk draws through LinuxKMS"
                    );
                    assert_eq!(exec.len(), 3, "the window: no subcommand");
                    assert!(package.features.contains(&"kiosk".to_owned()));
                }
                other => panic!("a unit nobody checks: {other}"),
            }
        }
    }
}

/// The lines of a default configuration file with every commented-out
/// setting (`#key`, `#[table]`: a `#` directly before it) switched on,
/// and how many were.
fn with_examples_on(text: &str) -> (String, usize) {
    let mut switched = 0;
    let lines: Vec<&str> = text
        .lines()
        .map(|line| match line.strip_prefix('#') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '[') => {
                switched += 1;
                rest
            }
            _ => line,
        })
        .collect();
    (lines.join("\n"), switched)
}

#[test]
fn default_configs_load_with_the_project_loader_examples_included() {
    let mut checked = 0;
    for package in packages() {
        for (dest, source) in package.installed() {
            if !(dest.starts_with("etc/lotline/") && dest.ends_with(".toml")) {
                continue;
            }
            let settings = lotline::config::load(Some(&source), None)
                .unwrap_or_else(|e| panic!("{}: {e:#}", source.display()));
            assert!(settings.config_file_found);
            assert_eq!(settings.config.log, "info");
            let (examples, switched) = with_examples_on(&fs::read_to_string(&source).unwrap());
            assert!(switched >= 1, "{}: no examples", source.display());
            let config = lotline::config::parse(&examples, &source)
                .unwrap_or_else(|e| panic!("{} with its examples: {e:#}", source.display()));
            assert_eq!(config.log_format, lotline::logging::LogFormat::Json);
            checked += 1;
        }
    }
    assert_eq!(checked, 2, "the terminal's and the server's");
}

/// Checks that `script` is executable by everyone and that `shell -n`
/// parses it.
fn assert_executable_script(shell: &str, script: &Path) {
    let mode = fs::metadata(script).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "{}: executable", script.display());
    let syntax = Command::new(shell).arg("-n").arg(script).output().unwrap();
    assert!(
        syntax.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&syntax.stderr)
    );
}

/// Runs a maintainer script with stand-ins for `getent`, `adduser` and
/// `udevadm` that record their arguments: `getent` knows no `lotline`
/// user and the groups `existing_groups`. Returns the recorded calls.
fn run_postinst(script: &Path, existing_groups: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls");
    let stub = |name: &str, body: &str| {
        let path = dir.path().join(name);
        fs::write(
            &path,
            format!(
                "#!/bin/sh\necho \"{name} $*\" >> '{}'\n{body}\n",
                log.display()
            ),
        )
        .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    };
    let known = existing_groups.join(" ");
    stub(
        "getent",
        &format!(
            "[ \"$1\" = group ] || exit 2\nfor g in {known}; do [ \"$2\" = \"$g\" ] && exit 0; done\nexit 2"
        ),
    );
    stub("adduser", "exit 0");
    stub("udevadm", "exit 0");
    let path = format!("{}:/usr/bin:/bin", dir.path().display());
    let out = Command::new("/bin/sh")
        .arg(script)
        .arg("configure")
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn maintainer_scripts_create_the_lotline_user_in_the_right_groups() {
    for package in packages() {
        let dir = Path::new(ROOT).join(package.maintainer_scripts.as_deref().unwrap());
        let postinst = dir.join(format!("{}.postinst", package.name));
        let text = fs::read_to_string(&postinst).unwrap();
        assert!(
            text.contains("#DEBHELPER#"),
            "cargo-deb inserts the unit handling there"
        );
        assert_executable_script("sh", &postinst);

        // `render` is missing on this pretend system: it is skipped.
        let groups = ["dialout", "plugdev", "input", "video", "audio"];
        let calls = run_postinst(&postinst, &groups);
        assert!(
            calls
                .iter()
                .any(|c| c.starts_with("adduser --system --group") && c.ends_with(" lotline")),
            "{calls:?}"
        );
        let joined: Vec<_> = calls
            .iter()
            .filter_map(|c| c.strip_prefix("adduser --quiet lotline "))
            .collect();
        if package.name == "lotline" {
            assert_eq!(joined, groups, "{calls:?}");
        } else {
            assert!(
                joined.is_empty(),
                "the server needs no device groups: {calls:?}"
            );
        }
        // Nothing happens outside `configure` (e.g. abort-upgrade).
        let quiet = Command::new("/bin/sh")
            .arg(&postinst)
            .arg("abort-upgrade")
            .env("PATH", "/nonexistent")
            .status()
            .unwrap();
        assert!(quiet.success());
    }
}

#[test]
fn systemd_analyze_verifies_the_units() {
    let available = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        println!("skipped: systemd-analyze is not installed");
        return;
    }
    // The units as installed, but running the binaries cargo built (verify
    // checks that ExecStart's program exists).
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for package in packages() {
        for (unit_dir, name) in &package.units {
            let source = Path::new(ROOT)
                .join(unit_dir)
                .join(format!("{name}.service"));
            let text = fs::read_to_string(source)
                .unwrap()
                .replace(
                    "/usr/bin/lotline-server ",
                    &format!("{} ", env!("CARGO_BIN_EXE_lotline-server")),
                )
                .replace(
                    "/usr/bin/lotline ",
                    &format!("{} ", env!("CARGO_BIN_EXE_lotline")),
                );
            let path = dir.path().join(format!("{name}.service"));
            fs::write(&path, text).unwrap();
            files.push(path);
        }
    }
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .args(&files)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Warnings (an unknown key, a bad value) do not fail verify; here they do.
    assert!(out.status.success() && said.trim().is_empty(), "{said}");
}

#[test]
fn udev_rules_and_the_cross_build_script_are_well_formed() {
    let rules =
        fs::read_to_string(Path::new(ROOT).join("packaging/udev/60-lotline.rules")).unwrap();
    let mut count = 0;
    for line in rules
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        for pair in line.split(", ") {
            let op = ["==", "!=", "+=", ":=", "="]
                .into_iter()
                .find(|op| pair.contains(op))
                .unwrap_or_else(|| panic!("no operator in {pair:?}"));
            let (key, value) = pair.split_once(op).unwrap();
            let (name, attribute) = key.split_once('{').unwrap_or((key, "}"));
            assert!(
                name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    && attribute
                        .strip_suffix('}')
                        .is_some_and(|a| a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')),
                "{key:?} in {line}"
            );
            assert!(
                value.starts_with('"') && value.ends_with('"'),
                "{value:?} in {line}"
            );
        }
        count += 1;
    }
    assert!(count >= 10, "{count} rules");
    assert!(rules.contains("GROUP=\"lotline\""));

    let script = Path::new(ROOT).join("packaging/cross-aarch64.sh");
    assert_executable_script("bash", &script);
    let text = fs::read_to_string(&script).unwrap();
    for needed in [
        "dpkg --add-architecture arm64",
        "gcc-aarch64-linux-gnu",
        "libc6-dev-arm64-cross",
        "rustup target add",
        "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER",
        "--target \"$TARGET\"",
        "ARM aarch64",
    ] {
        assert!(text.contains(needed), "{needed}");
    }
}
