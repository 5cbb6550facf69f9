//! The `lint` suite: formatting and lints of every language in the tree, one pass or failure
//! per check. The formatting checks take a second and run first; the two clippy checks compile
//! (check metadata of every dependency) and run in the background, in a target directory of
//! their own so they never wait on the test builds' cargo lock.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::counts::Counts;
use crate::jobs::{self, Job};
use crate::paths::Paths;
use crate::process::{self, run_logged};

/// The result of one check.
pub struct CheckOutcome {
    pub name: &'static str,
    pub passed: bool,
    /// Its output (or why it could not run); shown when it failed.
    pub output: String,
    pub log: PathBuf,
    pub took: Duration,
}

fn cargo(paths: &Paths, args: &[&str]) -> Command {
    let mut command = Command::new("cargo");
    command.args(args).current_dir(&paths.root).env("CARGO_TERM_COLOR", "never");
    command
}

/// The formatting checks: rustfmt, forge fmt, Biome (format and lint of the JavaScript and
/// TypeScript). About a second together.
pub fn fast_checks(paths: &Paths) -> Vec<(&'static str, Command)> {
    let rustfmt = cargo(paths, &["fmt", "--all", "--check", "--", "--color", "never"]);
    let mut forge = Command::new(paths.forge());
    forge.args(["fmt", "--check"]).current_dir(paths.contracts()).env("NO_COLOR", "1");
    let mut biome = Command::new(paths.e2e().join("node_modules/.bin/biome"));
    biome
        .args(["ci", "--error-on-warnings", "--colors=off", "ipfs-node", "ipfs-bundle", "e2e", "app/early.js"])
        .current_dir(&paths.root);
    vec![("rustfmt", rustfmt), ("forge fmt", forge), ("biome", biome)]
}

/// The clippy checks, every warning an error: the host crates, then the two wasm crates (with
/// all their features, so the `bench` pages are linted too). `--all-targets`: tests included.
pub fn clippy_checks(paths: &Paths) -> Vec<(&'static str, Command)> {
    let target = jobs::target_dir(&paths.root).join("lint");
    let mut host = cargo(
        paths,
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "assay-app",
            "--exclude",
            "assay-tract-worker",
            "--all-targets",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
    );
    host.env("CARGO_TARGET_DIR", &target);
    let mut wasm = cargo(
        paths,
        &[
            "clippy",
            "-p",
            "assay-app",
            "-p",
            "assay-tract-worker",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--all-features",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
    );
    wasm.env("CARGO_TARGET_DIR", &target);
    vec![("clippy (host)", host), ("clippy (wasm32)", wasm)]
}

fn log_name(check: &str) -> String {
    let slug: String = check.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("lint-{}.log", slug.trim_matches('-').replace("--", "-"))
}

/// Runs one check with its output in `.assay/logs/lint-<check>.log`.
pub fn run_check(paths: &Paths, name: &'static str, mut command: Command, background: bool) -> CheckOutcome {
    let log = paths.logs().join(log_name(name));
    let _ = std::fs::write(&log, "");
    if background {
        process::background_priority(&mut command);
    }
    let started = Instant::now();
    let (passed, output) = match run_logged(&mut command, &log) {
        Ok((status, output)) => (status.success(), output),
        Err(why) => (false, why),
    };
    CheckOutcome { name, passed, output, log, took: started.elapsed() }
}

/// Starts the clippy checks on a thread of their own.
pub fn start_clippy(paths: &Paths) -> Job<Vec<CheckOutcome>> {
    let paths = paths.clone();
    Job::spawn("clippy", paths.logs().join("lint-clippy-host.log"), move |_: &Path| {
        clippy_checks(&paths).into_iter().map(|(name, command)| run_check(&paths, name, command, true)).collect()
    })
}

/// Prints checks as test lines, the output of each failed one after it.
pub fn report(outcomes: &[CheckOutcome]) -> Counts {
    let mut counts = Counts::default();
    for outcome in outcomes {
        if outcome.passed {
            counts.passed += 1;
            println!("test lint::{} ... ok ({:.1} s)", outcome.name, outcome.took.as_secs_f64());
        } else {
            counts.failed += 1;
            println!("test lint::{} ... FAILED ({:.1} s)", outcome.name, outcome.took.as_secs_f64());
            print!("{}", jobs::tail(&outcome.output, 150));
            println!("    (full output: {})", outcome.log.display());
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_has_a_log_of_its_own() {
        assert_eq!(log_name("rustfmt"), "lint-rustfmt.log");
        assert_eq!(log_name("forge fmt"), "lint-forge-fmt.log");
        assert_eq!(log_name("clippy (host)"), "lint-clippy-host.log");
        assert_eq!(log_name("clippy (wasm32)"), "lint-clippy-wasm32.log");
    }
}
