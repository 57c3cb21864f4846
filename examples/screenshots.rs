//! Renders every screen of the terminal, over the demo warehouse, to PNG
//! files in `docs/screenshots/` through Slint's software renderer (no
//! display needed):
//!
//! ```text
//! cargo run --example screenshots [-- OUTPUT_DIR]
//! ```
//!
//! The screens are reached as an operator reaches them: badge scans,
//! button presses and barcode scans through the window's own event queue
//! (the driver the headless UI tests use), at a fixed time so the demo's
//! expiry dates read the same on every run.

#[path = "../tests/ui_driver/mod.rs"]
mod ui_driver;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::{Context, Result};
use slint::PhysicalSize;
use slint::platform::software_renderer::{MinimalSoftwareWindow, PremultipliedRgbaColor};
use ui_driver::{LATER_YOGHURT, RECALLED, Ui, start_picking};

/// Draws the window and writes it as `name.png` in `dir`.
struct Camera {
    window: Rc<MinimalSoftwareWindow>,
    dir: PathBuf,
    taken: Vec<String>,
}

impl Camera {
    fn shoot(&mut self, name: &str) -> Result<()> {
        let pixels = ui_driver::draw(&self.window);
        let path = self.dir.join(format!("{name}.png"));
        write_png(&path, self.window.size(), &pixels)?;
        self.taken.push(name.to_owned());
        Ok(())
    }
}

/// Writes premultiplied RGBA pixels (the window is opaque) as RGB PNG.
fn write_png(path: &Path, size: PhysicalSize, pixels: &[PremultipliedRgbaColor]) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), size.width, size.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    let data: Vec<u8> = pixels
        .iter()
        .flat_map(|p| [p.red, p.green, p.blue])
        .collect();
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(())
}

fn main() -> Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("docs/screenshots"), PathBuf::from);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let window = ui_driver::offscreen(480, 800);
    let mut camera = Camera {
        window: window.clone(),
        dir: dir.clone(),
        taken: Vec::new(),
    };
    let ui = Ui::demo();
    tour(&ui, &mut camera)?;
    // The same home screen on a 720×1280 handheld, and translated.
    window.set_size(PhysicalSize::new(720, 1280));
    ui.press("‹ Home");
    dismiss(&ui);
    camera.shoot("home-720x1280")?;
    window.set_size(PhysicalSize::new(480, 800));
    ui.window().invoke_choose_language("de".into());
    camera.shoot("home-de")?;
    ui.press("Picken");
    ui.press("SO-2002");
    camera.shoot("pick-de")?;
    ui.press("‹ Start");
    dismiss(&ui);
    ui.window().invoke_choose_language("es".into());
    camera.shoot("home-es")?;
    ui.window().invoke_choose_language("en".into());
    println!(
        "{} screenshots in {}: {}",
        camera.taken.len(),
        dir.display(),
        camera.taken.join(", ")
    );
    drop(ui);
    Ok(())
}

/// Takes the full-screen answer off, as a tap does.
fn dismiss(ui: &Ui) {
    ui.window().set_feedback_shown(false);
}

/// Every screen, in the order a shift meets them.
fn tour(ui: &Ui, camera: &mut Camera) -> Result<()> {
    camera.shoot("sign-in")?;
    ui.scan("BADGE-1002");
    camera.shoot("signed-in")?;
    dismiss(ui);
    camera.shoot("home")?;

    ui.press("Pick");
    camera.shoot("pick-list")?;
    ui.press("SO-2001");
    camera.shoot("pick")?;
    ui.scan("LOC-A-02");
    dismiss(ui);
    ui.scan(LATER_YOGHURT);
    camera.shoot("pick-fefo-reason")?;
    ui.press("Customer asked for this lot");
    camera.shoot("pick-warning")?;
    dismiss(ui);
    ui.press("Quantity");
    camera.shoot("keypad")?;
    ui.press("Cancel");
    ui.scan("(01)09506000134369(30)4(10)M2611A");
    dismiss(ui);
    ui.press("‹ Home");
    start_picking(ui, "SO-2002");
    ui.scan("LOC-Q-01");
    ui.scan(RECALLED);
    camera.shoot("recalled")?;
    // The engine's answer follows the language chosen in Settings.
    ui.window().invoke_choose_language("de".into());
    ui.scan(RECALLED);
    camera.shoot("recalled-de")?;
    ui.window().invoke_choose_language("en".into());
    dismiss(ui);
    ui.press("‹ Home");

    ui.press("Pack");
    ui.press("SO-2001");
    ui.press("New carton");
    dismiss(ui);
    ui.scan(LATER_YOGHURT);
    dismiss(ui);
    camera.shoot("pack")?;
    ui.press("‹ Home");

    ui.press("Sign out");
    ui.scan("BADGE-1001");
    dismiss(ui);
    ui.press("Receive");
    ui.scan("(01)09506000134352(17)270131(30)12(10)Y2701N");
    camera.shoot("receive-accepted")?;
    dismiss(ui);
    camera.shoot("receive")?;
    ui.scan("(01)09506000134369(30)4");
    camera.shoot("receive-lot-expiry")?;
    ui.press("Cancel");
    ui.press("‹ Home");

    ui.press("Putaway");
    ui.scan("(01)09506000134352(10)Y2701N");
    dismiss(ui);
    camera.shoot("putaway")?;
    ui.press("‹ Home");

    ui.press("Count");
    ui.scan("LOC-A-01");
    dismiss(ui);
    ui.scan("(01)09506000134352(10)Y2611B");
    camera.shoot("count")?;
    ui.press("Cancel");
    ui.press("‹ Home");

    ui.press("Returns");
    camera.shoot("returns")?;
    ui.press("‹ Home");

    ui.press("Lookup");
    ui.scan("(01)09506000134352(10)Y2612C");
    dismiss(ui);
    camera.shoot("lookup")?;
    ui.press("‹ Home");

    for (tile, shot) in [
        ("Expiry", "expiry"),
        ("Devices", "devices"),
        ("Settings", "settings"),
        ("About", "about"),
    ] {
        ui.press(tile);
        camera.shoot(shot)?;
        ui.press("‹ Home");
    }

    ui.press("Sign out");
    ui.scan("BADGE-1900");
    dismiss(ui);
    ui.press("Hold / release");
    camera.shoot("hold-release")?;
    ui.press("Hold lots");
    camera.shoot("hold-reason")?;
    ui.press("Quality check");
    camera.shoot("hold")?;
    dismiss(ui);
    ui.press("‹ Home");

    // A supervisor sets up a scanner in Settings.
    ui.press("Settings");
    ui.add_device("Serial", "dock", "/dev/ttyACM0");
    ui.scroll("Add device", -330.0);
    camera.shoot("settings-devices")?;
    ui.press("Remove dock");
    Ok(())
}
