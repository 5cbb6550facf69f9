//! `cargo xtask test`: every suite, one closing `N passed, N failed` line.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::app_build::{self, Pages};
use crate::counts::{self, Counts};
use crate::jobs::{self, Job};
use crate::lint::{self, CheckOutcome};
use crate::paths::Paths;
use crate::process::{Result, run_teed};
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
        "e2e" => crate::e2e_suite::run,
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

pub fn suite_result(name: &str, status: std::process::ExitStatus, counts: Option<Counts>) -> Result<Counts> {
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
