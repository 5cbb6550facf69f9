//! `cargo xtask test`: every suite, one closing `N passed, N failed` line.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::app_build::{self, Pages, build_app, copy_dir};
use crate::counts::{self, Counts};
use crate::jobs::{self, Job};
use crate::lint::{self, CheckOutcome};
use crate::paths::Paths;
use crate::process::{self, Result, run_teed};
use crate::stack::{Indexing, Ports, Stack};
use crate::static_site::StaticSite;
use crate::toolchain::{self, Needs};

/// The suites, in the order they are listed (and, with every build ready, run).
pub const SUITES: [&str; 7] = ["lint", "host", "wasm", "contracts", "ipfs", "e2e", "dev"];

/// A suite's test phase, run when its build (if any) is ready.
type Runner = fn(&Paths) -> Result<Counts>;

struct Outcome {
    suite: &'static str,
    what: &'static str,
    counts: Counts,
    took: Duration,
    note: Option<String>,
}

fn describe(suite: &str) -> &'static str {
    match suite {
        "lint" => "lint (fmt, clippy, biome)",
        "host" => "cargo test (host)",
        "wasm" => "wasm-bindgen-test (Chromium)",
        "contracts" => "forge test",
        "ipfs" => "IPFS node (node --test)",
        "e2e" => "Playwright e2e",
        _ => "cargo xtask dev (smoke)",
    }
}

fn runner(suite: &str) -> Runner {
    match suite {
        "host" => host,
        "wasm" => wasm,
        "contracts" => contracts,
        "ipfs" => ipfs,
        "e2e" => e2e,
        _ => crate::dev_smoke::run,
    }
}

/// `cargo test` of the host crates; the background build runs the same with `--no-run`.
const HOST_TEST: [&str; 11] =
    ["test", "--offline", "-p", "assay-core", "-p", "assay-inference", "-p", "assay-crypto", "-p", "xtask", "--no-run"];
/// `cargo test` of the app for wasm32 (run by wasm-bindgen-test-runner in headless Chromium).
const WASM_TEST: [&str; 7] = ["test", "--offline", "-p", "assay-app", "--target", "wasm32-unknown-unknown", "--no-run"];

/// The wasm test build's target directory: one of its own, so that it and the host test build
/// (and the host tests running) never wait for each other's cargo lock.
fn wasm_test_target(paths: &Paths) -> std::path::PathBuf {
    jobs::target_dir(&paths.root).join("wasm-test")
}

/// The cargo builds started before the installs: each suite's tests wait for their own build.
/// The release builds (the longest chain: Trunk, then the e2e tests) run at normal priority, the
/// test and clippy builds at background priority, so on 2 cores the release build comes first
/// and the others fill the cores while it links, while the installs download and while the
/// e2e tests run.
#[derive(Default)]
struct Background {
    host: Option<Job<Result<()>>>,
    wasm: Option<Job<Result<()>>>,
    release: Vec<Job<Result<()>>>,
    clippy: Option<Job<Vec<CheckOutcome>>>,
}

impl Background {
    fn start(paths: &Paths, wanted: &dyn Fn(&str) -> bool) -> Self {
        let logs = paths.logs();
        let cargo = |args: &[&str]| {
            let mut command = Command::new("cargo");
            command.args(args).current_dir(&paths.root).env("CARGO_TERM_COLOR", "never");
            command
        };
        let mut background = Self::default();
        if wanted("e2e") || wanted("dev") {
            let html = std::fs::read_to_string(paths.root.join("app/index.html")).unwrap_or_default();
            for (bin, args) in app_build::release_cargo_builds(&html, Pages::WithBench) {
                let log = logs.join(format!("build-release-{bin}.log"));
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                background.release.push(jobs::build(&format!("{bin} (release)"), log, cargo(&args), false));
            }
        }
        if wanted("host") {
            background.host =
                Some(jobs::build("host tests", logs.join("build-host-tests.log"), cargo(&HOST_TEST), true));
        }
        if wanted("wasm") {
            let mut command = cargo(&WASM_TEST);
            command.env("CARGO_TARGET_DIR", wasm_test_target(paths));
            background.wasm = Some(jobs::build("wasm tests", logs.join("build-wasm-tests.log"), command, true));
        }
        if wanted("lint") {
            background.clippy = Some(lint::start_clippy(paths));
        }
        background
    }

    /// Whether `suite` can run its tests now without waiting for a build.
    fn ready(&self, suite: &str) -> bool {
        match suite {
            "host" => self.host.as_ref().is_none_or(Job::is_done),
            "wasm" => self.wasm.as_ref().is_none_or(Job::is_done),
            "lint" => self.clippy.as_ref().is_none_or(Job::is_done),
            "e2e" | "dev" => self.release.iter().all(Job::is_done),
            _ => true,
        }
    }

    /// Waits for `suite`'s build (already done when `ready` said so) and says how it went.
    fn finish(&mut self, suite: &str) {
        let builds: Vec<&mut Job<Result<()>>> = match suite {
            "host" => self.host.iter_mut().collect(),
            "wasm" => self.wasm.iter_mut().collect(),
            "e2e" | "dev" => self.release.iter_mut().collect(),
            _ => Vec::new(),
        };
        for build in builds {
            jobs::finish_build(build);
        }
    }

    /// The builds still running, with how long each has run.
    fn running(&self) -> Vec<String> {
        let mut names = Vec::new();
        for job in self.host.iter().chain(&self.wasm).chain(&self.release) {
            if !job.is_done() {
                names.push(job.name.clone());
            }
        }
        if self.clippy.as_ref().is_some_and(|j| !j.is_done()) {
            names.push("clippy".to_owned());
        }
        names
    }
}

/// Runs the named suites (all when `only` is empty). Returns whether everything passed.
///
/// Order of work: the crates are fetched, then every cargo build the wanted suites need starts
/// in the background (logs in `.assay/logs/build-*.log`); the installs run meanwhile; then the
/// suites that need no Rust build (lint's formatting checks, contracts, IPFS node), then each
/// remaining suite as soon as its build is done — the e2e and dev suites first. A suite's output
/// is shown as it runs, one suite at a time; the summary lists them in `SUITES` order.
pub fn run(paths: &Paths, only: &[String]) -> Result<bool> {
    for name in only {
        if !SUITES.contains(&name.as_str()) {
            return Err(format!("unknown suite {name:?}; suites: {}", SUITES.join(", ")));
        }
    }
    let wanted = |suite: &str| only.is_empty() || only.iter().any(|o| o == suite);
    std::fs::create_dir_all(paths.logs()).map_err(|e| e.to_string())?;
    toolchain::ensure_rust(paths)?;
    let mut background = Background::start(paths, &wanted);
    let running = background.running();
    let started_builds = !running.is_empty();
    if started_builds {
        println!("Building in the background: {} (logs in {})", running.join(", "), paths.logs().display());
    }
    toolchain::ensure_tools(paths, Needs::Test)?;

    let mut outcomes = Vec::new();
    let mut lint_checks = Vec::new();
    let mut lint_took = Duration::ZERO;
    if wanted("lint") {
        println!("\n━━ {} ━━", describe("lint"));
        let started = Instant::now();
        for (name, command) in lint::fast_checks(paths) {
            lint_checks.push(lint::run_check(paths, name, command, false));
        }
        lint::report(&lint_checks);
        lint_took += started.elapsed();
    }
    for suite in ["contracts", "ipfs"].into_iter().filter(|s| wanted(s)) {
        outcomes.push(run_suite(paths, suite, runner(suite)));
    }

    let mut pending: Vec<&'static str> =
        ["e2e", "dev", "host", "wasm", "lint"].into_iter().filter(|s| wanted(s)).collect();
    let mut last_note = Instant::now() - Duration::from_secs(3600);
    while !pending.is_empty() {
        let Some(index) = pending.iter().position(|s| background.ready(s)) else {
            if last_note.elapsed() > Duration::from_secs(120) {
                println!("\n… waiting for the background builds: {}", background.running().join(", "));
                last_note = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(500));
            continue;
        };
        let suite = pending.remove(index);
        if suite == "lint" {
            println!("\n━━ {} (clippy) ━━", describe("lint"));
            let results = background.clippy.take().map(Job::into_result).unwrap_or_default();
            lint::report(&results);
            lint_took += results.iter().map(|r| r.took).sum::<Duration>();
            lint_checks.extend(results);
            continue;
        }
        background.finish(suite);
        outcomes.push(run_suite(paths, suite, runner(suite)));
    }
    if wanted("lint") {
        let mut counts = Counts::default();
        for check in &lint_checks {
            if check.passed {
                counts.passed += 1;
            } else {
                counts.failed += 1;
            }
        }
        let failed: Vec<&str> = lint_checks.iter().filter(|c| !c.passed).map(|c| c.name).collect();
        let note = (!failed.is_empty()).then(|| format!("failed: {}", failed.join(", ")));
        outcomes.push(Outcome { suite: "lint", what: describe("lint"), counts, took: lint_took, note });
    }
    outcomes.sort_by_key(|o| SUITES.iter().position(|s| *s == o.suite));

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
    if started_builds {
        println!("  (times: each suite's own run; its cargo build ran in the background, see above)");
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    Ok(total.failed == 0)
}

fn run_suite(paths: &Paths, suite: &'static str, runner: Runner) -> Outcome {
    let what = describe(suite);
    println!("\n━━ {what} ━━");
    let started = Instant::now();
    let (counts, note) = match runner(paths) {
        Ok(counts) => (counts, None),
        // A suite that could not even report counts is one failure, with the reason.
        Err(reason) => (Counts { passed: 0, failed: 1 }, Some(reason)),
    };
    Outcome { suite, what, counts, took: started.elapsed(), note }
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
    let (status, output) =
        run_teed(Command::new("cargo").args(&HOST_TEST[..HOST_TEST.len() - 1]).current_dir(&paths.root))?;
    suite_result("cargo test", status, counts::cargo_test(&output))
}

fn wasm(paths: &Paths) -> Result<Counts> {
    let (status, output) = run_teed(
        Command::new("cargo")
            .args(&WASM_TEST[..WASM_TEST.len() - 1])
            .current_dir(&paths.root)
            .env("CARGO_TARGET_DIR", wasm_test_target(paths))
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
