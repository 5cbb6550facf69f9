//! `cargo xtask test`: every suite, one closing `N passed, N failed` line.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::counts::{self, Counts};
use crate::paths::Paths;
use crate::process::{self, Result, run_teed};
use crate::stack::{Ports, Stack};
use crate::static_site::StaticSite;
use crate::toolchain::{self, Needs};

/// The suites, in the order they run.
pub const SUITES: [&str; 6] = ["host", "wasm", "contracts", "ipfs", "e2e", "dev"];

struct Outcome {
    suite: &'static str,
    what: &'static str,
    counts: Counts,
    took: Duration,
    note: Option<String>,
}

/// Runs the named suites (all when `only` is empty). Returns whether everything passed.
pub fn run(paths: &Paths, only: &[String]) -> Result<bool> {
    for name in only {
        if !SUITES.contains(&name.as_str()) {
            return Err(format!("unknown suite {name:?}; suites: {}", SUITES.join(", ")));
        }
    }
    let wanted = |suite: &str| only.is_empty() || only.iter().any(|o| o == suite);
    toolchain::ensure(paths, Needs::Test)?;
    std::fs::create_dir_all(paths.logs()).map_err(|e| e.to_string())?;

    let mut outcomes = Vec::new();
    let suites: [(&'static str, &'static str, fn(&Paths) -> Result<Counts>); 6] = [
        ("host", "cargo test (host)", host),
        ("wasm", "wasm-bindgen-test (Chromium)", wasm),
        ("contracts", "forge test", contracts),
        ("ipfs", "IPFS node (node --test)", ipfs),
        ("e2e", "Playwright e2e", e2e),
        ("dev", "cargo xtask dev (smoke)", crate::dev_smoke::run),
    ];
    for (suite, what, runner) in suites {
        if !wanted(suite) {
            continue;
        }
        println!("\n━━ {what} ━━");
        let started = Instant::now();
        let (counts, note) = match runner(paths) {
            Ok(counts) => (counts, None),
            // A suite that could not even report counts is one failure, with the reason.
            Err(reason) => (Counts { passed: 0, failed: 1 }, Some(reason)),
        };
        outcomes.push(Outcome { suite, what, counts, took: started.elapsed(), note });
    }

    println!("\n━━ Summary ━━");
    let mut total = Counts::default();
    for outcome in &outcomes {
        total += outcome.counts;
        println!(
            "  {:<32} {:>4} passed, {:>3} failed   {:>6.1}s{}",
            outcome.what,
            outcome.counts.passed,
            outcome.counts.failed,
            outcome.took.as_secs_f64(),
            outcome.note.as_ref().map(|n| format!("\n      {}: {n}", outcome.suite)).unwrap_or_default()
        );
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    Ok(total.failed == 0)
}

fn suite_result(name: &str, status: std::process::ExitStatus, counts: Option<Counts>) -> Result<Counts> {
    match counts {
        // Exit status and counts must agree: a runner that failed with zero failures counted
        // (a crash after the summary, a compile error) is still a failure.
        Some(counts) if status.success() || counts.failed > 0 => Ok(counts),
        Some(counts) => Ok(Counts { failed: counts.failed + 1, ..counts }),
        None => Err(format!("{name} exited with {status} before reporting any test result")),
    }
}

fn host(paths: &Paths) -> Result<Counts> {
    let (status, output) = run_teed(
        Command::new("cargo")
            .args([
                "test",
                "--offline",
                "-p",
                "assay-core",
                "-p",
                "assay-inference",
                "-p",
                "assay-crypto",
                "-p",
                "xtask",
            ])
            .current_dir(&paths.root),
    )?;
    suite_result("cargo test", status, counts::cargo_test(&output))
}

fn wasm(paths: &Paths) -> Result<Counts> {
    let (status, output) = run_teed(
        Command::new("cargo")
            .args(["test", "--offline", "-p", "assay-app", "--target", "wasm32-unknown-unknown"])
            .current_dir(&paths.root)
            .env("PATH", paths.tool_path())
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    suite_result("wasm-bindgen-test", status, counts::cargo_test(&output))
}

fn contracts(paths: &Paths) -> Result<Counts> {
    let (status, output) = run_teed(Command::new(paths.forge()).arg("test").current_dir(paths.contracts()))?;
    suite_result("forge test", status, counts::forge(&output))
}

fn ipfs(paths: &Paths) -> Result<Counts> {
    let (status, output) = run_teed(
        Command::new(paths.node22()).args(["--test", "--test-reporter=tap", "test/"]).current_dir(paths.ipfs_node()),
    )?;
    suite_result("node --test", status, counts::node_test(&output))
}

/// Builds the release app, starts a private stack on free ports, serves the app at a root URL
/// and under the IPFS node's `/ipfs/<cid>/`, and runs Playwright against both.
fn e2e(paths: &Paths) -> Result<Counts> {
    build_app(paths, true)?;
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
    let cid = stack.publish_dir(paths, &site_dir)?;
    let site = StaticSite::start(paths.dist(), config, 0)?;
    println!("App: {} and {}/ipfs/{cid}/", site.url(), stack.ipfs_url());

    // The large catalogue (`tests/browse-large.spec.ts`) on a stack of its own, so the other
    // specs keep their exact seeded counts; only started when that spec is among those run.
    let narrowing = std::env::var("ASSAY_E2E_ARGS").unwrap_or_default();
    let large = if runs_large_catalogue(&narrowing) {
        let ports = Ports { chain: process::free_port()?, ipfs: process::free_port()? };
        let large = Stack::start(paths, ports, &scratch.join("ipfs-repo-large"), "e2e-large")?;
        crate::seed::seed(paths, &large, LARGE_CATALOGUE)?;
        let site = StaticSite::start(paths.dist(), large.config.to_json_pretty(), 0)?;
        println!("Large catalogue: {} ({LARGE_CATALOGUE} synthetic listings)", site.url());
        Some((large, site))
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
    let files: Vec<&str> = narrowing.split_whitespace().filter(|a| a.ends_with(".ts") || a.contains("/")).collect();
    files.is_empty() && !narrowing.split_whitespace().any(|a| a.starts_with("-g") || a == "--grep")
        || files.iter().any(|f| f.contains("browse-large"))
}

/// `trunk build` with npm binaryen's wasm-opt first on PATH.
pub fn build_app(paths: &Paths, release: bool) -> Result<()> {
    build_ipfs_bundle(paths)?;
    println!("Building the app with Trunk ({})", if release { "release" } else { "debug" });
    let mut command = Command::new(paths.cargo_bin().join("trunk"));
    command.arg("build").current_dir(&paths.root).env("PATH", paths.tool_path());
    if release {
        command.arg("--release");
    }
    process::run("trunk build", &mut command)
}

/// esbuild: `ipfs-bundle/src` → `ipfs-bundle/dist/assay-ipfs.js`, which Trunk copies into
/// `dist/` (app/index.html). Prints the bundle's size, raw and gzipped.
pub fn build_ipfs_bundle(paths: &Paths) -> Result<()> {
    process::run("ipfs-bundle build", Command::new(paths.node22()).arg("build.mjs").current_dir(paths.ipfs_bundle()))
}

pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::runs_large_catalogue;

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
}
