//! Assay's task runner.
//!
//! ```text
//! cargo xtask dev [--release] start the whole local stack and print the URL (Ctrl-C stops it)
//! cargo xtask test [SUITE…]  run every suite (or the named ones), ending with `N passed, N failed`
//! cargo xtask install        install the tools only (both commands do this first)
//! cargo xtask deploy --rpc-url URL --chain-id N [--keystore FILE [--password-file FILE]] …
//!                            deploy the contracts to any chain, verify them, write deployments/N.json
//!                            and deployments/N.config.json (`deploy --help`)
//! cargo xtask publish [--api URL] [--config FILE | --network N]
//!                            build the release app, add it to an IPFS node, print its CID and URL
//! cargo xtask bench-bundles DIR
//!                            write the evaluation throughput benchmark's sets as folder bundles
//! cargo xtask bench-indexer [--runs N]
//!                            the indexer's benchmark (ASSAY_SEED_LISTINGS listings; bench/RESULTS.md)
//! ```

mod app_build;
mod app_wasm;
mod bench_indexer;
#[cfg(test)]
mod cid_check;
mod counts;
mod csp;
mod deploy;
mod dev;
mod dev_smoke;
mod e2e_suite;
mod http;
mod indexer;
mod jobs;
mod kubo;
mod lint;
mod paths;
mod process;
mod publish;
mod rehearsal;
mod rpc;
mod seed;
mod stack;
mod static_site;
mod test;
mod toolchain;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <dev [--release] | test [lint|host|wasm|contracts|ipfs|e2e|dev]… | install | deploy --rpc-url URL --chain-id N … (--help) | publish [--api URL] [--config FILE | --network N] | bench-bundles DIR | bench-indexer [--runs N] | app-wasm (Trunk's post-build hook)>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let paths = paths::Paths::discover();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev::run(&paths, &args[1..]).map(|()| true),
        Some("test") => test::run(&paths, &args[1..]),
        Some("deploy") => deploy::run(&paths, &args[1..]).map(|()| true),
        Some("publish") => publish::run(&paths, &args[1..]).map(|()| true),
        Some("bench-bundles") if args.len() == 2 => {
            seed::write_bench_bundles(&paths, std::path::Path::new(&args[1])).map(|()| true)
        }
        Some("bench-indexer") => bench_indexer::run(&paths, &args[1..]).map(|()| true),
        Some("app-wasm") => app_wasm::run_hook(&paths).map(|()| true),
        Some("install") => toolchain::ensure(&paths, toolchain::Needs::Test).map(|()| true),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("\nerror: {message}");
            ExitCode::FAILURE
        }
    }
}
