//! Compiles the Slint UI description in `ui/` into Rust at build time.
//!
//! Debug info (element ids and accessible labels kept in the generated
//! code) is on, so the headless UI tests and assistive technology can find
//! elements by their labels; it costs a few strings per element.
fn main() {
    let config = slint_build::CompilerConfiguration::new().with_debug_info(true);
    slint_build::compile_with_config("ui/main.slint", config).expect("compile ui/main.slint");
}
