//! Compiles the Slint UI description in `ui/` into Rust at build time.
fn main() {
    slint_build::compile("ui/main.slint").expect("compile ui/main.slint");
}
