//! Background work of `cargo xtask test`: the cargo builds start as soon as the crates are
//! fetched and run while the installs download and other suites test; each writes a log in
//! `.assay/logs/`, and a suite waits for its build before its tests run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::process::{self, Result, run_logged};

/// Work running on a thread of its own.
pub struct Job<T> {
    pub name: String,
    pub log: PathBuf,
    started: Instant,
    done: Arc<AtomicBool>,
    handle: Option<JoinHandle<T>>,
    finished: Option<(T, Duration)>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; `log` is where it writes (created empty now).
    pub fn spawn(name: &str, log: PathBuf, work: impl FnOnce(&Path) -> T + Send + 'static) -> Self {
        let _ = std::fs::write(&log, "");
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        let path = log.clone();
        let handle = std::thread::spawn(move || {
            let out = work(&path);
            flag.store(true, Ordering::SeqCst);
            out
        });
        Self { name: name.to_owned(), log, started: Instant::now(), done, handle: Some(handle), finished: None }
    }

    pub fn is_done(&self) -> bool {
        self.finished.is_some() || self.done.load(Ordering::SeqCst)
    }

    /// Waits for the work and returns its result.
    pub fn into_result(mut self) -> T {
        self.wait();
        self.finished.take().expect("set by wait").0
    }

    /// Waits for the work and returns its result and how long it ran.
    pub fn wait(&mut self) -> &(T, Duration) {
        if self.finished.is_none() {
            let handle = self.handle.take().expect("joined once");
            let out = handle.join().unwrap_or_else(|_| panic!("background job {} panicked", self.name));
            self.finished = Some((out, self.started.elapsed()));
        }
        self.finished.as_ref().expect("set above")
    }
}

/// A build on a thread of its own, with its output in `log`; at background priority (nice 10)
/// when `background`. The result says whether it succeeded; its output is in the log (the suite
/// that waits for it runs cargo again, which reports any compile error itself).
pub fn build(name: &str, log: PathBuf, mut command: Command, background: bool) -> Job<Result<()>> {
    Job::spawn(name, log, move |log| {
        if background {
            process::background_priority(&mut command);
        }
        let (status, _) = run_logged(&mut command, log)?;
        if status.success() { Ok(()) } else { Err(format!("exited with {status}; see {}", log.display())) }
    })
}

/// Waits for a build and says in one line how it went.
pub fn finish_build(job: &mut Job<Result<()>>) {
    let name = job.name.clone();
    let log = job.log.display().to_string();
    let (result, took) = job.wait();
    match result {
        Ok(()) => println!("  (background build {name}: done in {:.0} s; log {log})", took.as_secs_f64()),
        Err(why) => println!("  (background build {name} failed after {:.0} s: {why})", took.as_secs_f64()),
    }
}

/// The last `lines` lines of `text`, with a note of how many were left out.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let skip = all.len().saturating_sub(lines);
    let mut out = String::new();
    if skip > 0 {
        out.push_str(&format!("[… {skip} earlier lines in the log …]\n"));
    }
    for line in &all[skip..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The cargo target directory of this run: `$CARGO_TARGET_DIR`, else `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_reports_done_and_its_result() {
        let log = std::env::temp_dir().join(format!("assay-job-test-{}.log", std::process::id()));
        let mut job = Job::spawn("sum", log.clone(), |_| 2 + 2);
        assert_eq!(job.wait().0, 4);
        assert!(job.is_done());
        let _ = std::fs::remove_file(log);
    }

    #[test]
    fn the_tail_says_what_it_left_out() {
        assert_eq!(tail("a\nb\nc\n", 2), "[… 1 earlier lines in the log …]\nb\nc\n");
        assert_eq!(tail("a\n", 5), "a\n");
    }
}
