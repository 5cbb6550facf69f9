//! The e2e suite (`cargo xtask test e2e`): the release app built, a private stack seeded, the app
//! published to its IPFS node, the large catalogue's and the rehearsal's stacks when their specs
//! run, and Playwright against all of it.

use std::process::Command;

use crate::app_build::{Pages, build_app, copy_dir};
use crate::counts::{self, Counts};
use crate::paths::Paths;
use crate::process::{self, Result, run_teed};
use crate::stack::{Indexing, Ports, Stack};
use crate::static_site::StaticSite;
use crate::test::suite_result;

/// Builds the release app, starts a private stack on free ports, serves the app at a root URL
/// and under the IPFS node's `/ipfs/<cid>/`, and runs Playwright against both.
pub fn run(paths: &Paths) -> Result<Counts> {
    build_app(paths, true, Pages::WithBench)?;
    let scratch = paths.state.join("e2e");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let ports = Ports { chain: process::free_port()?, ipfs: process::free_port()? };
    let stack = Stack::start(paths, ports, &scratch.join("ipfs-repo"), "e2e")?;
    crate::seed::run(paths, &stack)?;
    let config = stack.config.to_json_pretty();

    // The app as it would be published: dist/ plus its config.json, as one IPFS directory.
    let site_dir = scratch.join("site");
    copy_dir(&paths.dist(), &site_dir)?;
    std::fs::write(site_dir.join("config.json"), &config).map_err(|e| e.to_string())?;
    crate::csp::write_into(&site_dir, &stack.config)?;
    let cid = stack.publish_dir(paths, &site_dir)?;
    let site = StaticSite::start(paths.dist(), config, 0)?;
    println!("App: {} and {}/ipfs/{cid}/", site.url(), stack.ipfs_url());

    // The large catalogue (`tests/browse-large.spec.ts`) on a stack of its own, so the other
    // specs keep their exact seeded counts; only started when that spec is among those run.
    let narrowing = std::env::var("ASSAY_E2E_ARGS").unwrap_or_default();
    let large = if runs_large_catalogue(&narrowing) {
        let ports = Ports { chain: process::free_port()?, ipfs: process::free_port()? };
        let large = Stack::start_with(paths, ports, &scratch.join("ipfs-repo-large"), "e2e-large", Indexing::Off)?;
        crate::seed::seed(paths, &large, LARGE_CATALOGUE)?;
        let site = StaticSite::start(paths.dist(), large.config.to_json_pretty(), 0)?;
        println!("Large catalogue: {} ({LARGE_CATALOGUE} synthetic listings)", site.url());
        Some((large, site))
    } else {
        None
    };
    // The rehearsal of a public-network deployment (`tests/rehearsal.spec.ts`, `crate::rehearsal`):
    // a chain of its own behind a faulting proxy, deployed to and published to this stack's node.
    let rehearsal = if runs_spec(&narrowing, "rehearsal") {
        Some(crate::rehearsal::Rehearsal::start(paths, &stack, &scratch)?)
    } else {
        None
    };

    let report = scratch.join("playwright-report.json");
    let artifacts = scratch.join("artifacts");
    let mut playwright = Command::new("node");
    if let Some((large, site)) = &large {
        playwright
            .env("ASSAY_LARGE_APP_URL", site.url())
            .env("ASSAY_LARGE_RPC_URL", &large.config.rpc_url)
            .env("ASSAY_LARGE_IPFS_URL", large.ipfs_url());
    }
    if let Some(rehearsal) = &rehearsal {
        playwright.envs(rehearsal.env());
    }
    let (status, _) = run_teed(
        playwright
            .args(["node_modules/@playwright/test/cli.js", "test"])
            // A developer's narrowing, e.g. `ASSAY_E2E_ARGS="tests/chain.spec.ts -g rejected"`.
            .args(narrowing.split_whitespace())
            .current_dir(paths.e2e())
            .env("ASSAY_APP_URL", site.url())
            .env("ASSAY_APP_IPFS_URL", format!("{}/ipfs/{cid}/", stack.ipfs_url()))
            .env("ASSAY_RPC_URL", &stack.config.rpc_url)
            .env("ASSAY_CHAIN_ID", stack.config.chain_id.to_string())
            .env("ASSAY_IPFS_URL", stack.ipfs_url())
            .env("ASSAY_ARTIFACTS_DIR", &artifacts)
            .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report),
    )?;
    println!("Screenshots: {}", artifacts.display());
    let counts = std::fs::read_to_string(&report).ok().and_then(|r| counts::playwright_json(&r));
    suite_result("playwright", status, counts)
}

/// Synthetic listings on the large-catalogue stack (issue #7: Browse with 10,000 listings).
pub const LARGE_CATALOGUE: usize = 10_000;

/// Whether the e2e run includes `tests/browse-large.spec.ts`: the whole suite (no narrowing), or
/// a narrowing that names it. Its stack costs a second anvil + IPFS node and ~25 s of seeding.
pub fn runs_large_catalogue(narrowing: &str) -> bool {
    runs_spec(narrowing, "browse-large")
}

/// Whether the e2e run includes the spec whose file name contains `name`: the whole suite (no
/// files named, no grep), or a narrowing that names it.
pub fn runs_spec(narrowing: &str, name: &str) -> bool {
    let files: Vec<&str> = narrowing.split_whitespace().filter(|a| a.ends_with(".ts") || a.contains("/")).collect();
    files.is_empty() && !narrowing.split_whitespace().any(|a| a.starts_with("-g") || a == "--grep")
        || files.iter().any(|f| f.contains(name))
}

#[cfg(test)]
mod tests {
    use super::{runs_large_catalogue, runs_spec};

    #[test]
    fn the_large_catalogue_starts_only_when_its_spec_runs() {
        assert!(runs_large_catalogue(""), "the whole suite");
        assert!(runs_large_catalogue("tests/browse-large.spec.ts"));
        assert!(runs_large_catalogue("tests/browse.spec.ts tests/browse-large.spec.ts"));
        assert!(runs_large_catalogue("--workers 1"), "options only: still the whole suite");
        assert!(!runs_large_catalogue("tests/journey.spec.ts"));
        assert!(!runs_large_catalogue("tests/chain.spec.ts -g rejected"));
        assert!(!runs_large_catalogue("-g rejected"), "a grep without files: other tests");
        assert!(runs_large_catalogue("tests/browse-large.spec.ts -g filter"));
    }

    #[test]
    fn the_rehearsal_starts_only_when_its_spec_runs() {
        assert!(runs_spec("", "rehearsal"), "the whole suite");
        assert!(runs_spec("tests/rehearsal.spec.ts tests/rpc-endpoints.spec.ts", "rehearsal"));
        assert!(!runs_spec("tests/rpc-endpoints.spec.ts", "rehearsal"));
        assert!(!runs_spec("-g buyer", "rehearsal"));
    }
}
