//! `lotline-server`: the central server that enrolls terminals, ingests their
//! events and answers traces. This first release only identifies itself; the
//! HTTP API and admin commands arrive with the server work.

use clap::Parser;

/// Lotline central server.
#[derive(Debug, Parser)]
#[command(name = "lotline-server", version, about, long_about = None)]
struct ServerCli {}

fn main() {
    let _ = ServerCli::parse();
    println!(
        "lotline-server {}: no server commands yet; see --help",
        env!("CARGO_PKG_VERSION")
    );
}
