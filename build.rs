//! Compiles the Slint UI description in `ui/` into Rust at build time, with
//! the translations in `lang/<language>/LC_MESSAGES/lotline.po` bundled.
//!
//! Debug info (element ids and accessible labels kept in the generated
//! code) is on, so the headless UI tests and assistive technology can find
//! elements by their labels; it costs a few strings per element. Strings
//! carry no translation context, so one msgid serves every screen.
fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_debug_info(true)
        .with_bundled_translations("lang")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None);
    slint_build::compile_with_config("ui/main.slint", config).expect("compile ui/main.slint");
    println!("cargo:rerun-if-changed=lang");
}
