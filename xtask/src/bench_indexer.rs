//! `cargo xtask bench-indexer`: the indexer's benchmark (issue 21, bench/RESULTS.md "Indexer").
//!
//! A stack of its own without the indexer (anvil, the IPFS node, the contracts), the usual seed
//! with `ASSAY_SEED_LISTINGS` synthetic listings, then the indexer started against the finished
//! chain exactly as the stack starts it (`ponder start` on the deployment's `config.json`, PGlite in
//! a folder of its own): the backfill's events per second from Ponder's own counter
//! (`ponder_indexing_completed_events` on `/metrics`) between the start and `/ready`. Then the
//! built app (`$ASSAY_BENCH_DIST`, default `dist/`) is served twice, with and without `indexerUrl`,
//! and `bench/indexer/browse.mjs` times the indexer's API and both paths in Chromium.
//! Everything lives under `$ASSAY_STATE_DIR`; the stack is stopped at the end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::http;
use crate::indexer::{Database, Indexer, SCHEMA, Setup};
use crate::paths::Paths;
use crate::process::{self, Result, Service};
use crate::stack::{Indexing, Ports, Stack};
use crate::static_site::StaticSite;

/// How long the backfill may take before the bench gives up (1,000,000 listings included).
const BACKFILL_LIMIT: Duration = Duration::from_secs(6 * 3600);
/// How long the bench waits for a Trunk build of the app still running.
const BUILD_LIMIT: Duration = Duration::from_secs(1800);
/// How often progress is printed while the indexer backfills.
const PROGRESS_EVERY: Duration = Duration::from_secs(15);

pub fn run(paths: &Paths, args: &[String]) -> Result<()> {
    let runs = match args {
        [] => "5".to_owned(),
        [flag, n] if flag == "--runs" => n.clone(),
        other => return Err(format!("unknown arguments {other:?}; usage: cargo xtask bench-indexer [--runs N]")),
    };
    let dist = std::env::var_os("ASSAY_BENCH_DIST").map(PathBuf::from).unwrap_or_else(|| paths.dist());
    std::fs::create_dir_all(&paths.state).map_err(|e| e.to_string())?;
    let ports = Ports { chain: process::free_port()?, ipfs: process::free_port()? };
    let repo = paths.state.join("ipfs-repo-bench-indexer");
    let _ = std::fs::remove_dir_all(&repo);
    let mut stack = Stack::start_with(paths, ports, &repo, "bench-indexer", Indexing::Off)?;
    let seeded = Instant::now();
    let summary = crate::seed::run(paths, &stack)?;
    println!(
        "bench-indexer: seeded {} real and {} synthetic listings in {:.1} s",
        summary.models,
        summary.synthetic,
        seeded.elapsed().as_secs_f64()
    );

    let folder = paths.state.join("indexer-bench-indexer");
    let _ = std::fs::remove_dir_all(&folder);
    let indexer = backfill(paths, &stack, &folder)?;
    stack.config.indexer_url = Some(indexer.url());
    wait_for_app(&dist)?;

    let with = StaticSite::start(dist.clone(), stack.config.to_json_pretty(), process::free_port()?)?;
    let mut without_config = stack.config.clone();
    without_config.indexer_url = None;
    let without = StaticSite::start(dist, without_config.to_json_pretty(), process::free_port()?)?;
    let status = Command::new(paths.node22())
        .arg(paths.root.join("bench/indexer/browse.mjs"))
        .args(["--runs", &runs])
        .current_dir(paths.root.join("e2e"))
        .env("ASSAY_INDEXED_APP_URL", format!("http://127.0.0.1:{}/", with.port))
        .env("ASSAY_CHAIN_APP_URL", format!("http://127.0.0.1:{}/", without.port))
        .env("ASSAY_INDEXER_URL", indexer.url())
        .status()
        .map_err(|e| format!("node bench/indexer/browse.mjs: {e}"))?;
    drop((with, without, indexer, stack));
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_dir_all(&repo);
    if !status.success() {
        return Err(format!("bench/indexer/browse.mjs failed ({status})"));
    }
    Ok(())
}

/// Waits (up to [`BUILD_LIMIT`]) for a Trunk build still writing `dist` to finish: its `index.html`
/// comes last.
fn wait_for_app(dist: &Path) -> Result<()> {
    let started = Instant::now();
    while !dist.join("index.html").is_file() {
        if started.elapsed() > BUILD_LIMIT {
            return Err(format!(
                "no built app in {} (set ASSAY_BENCH_DIST, or `trunk build --release --features bench`)",
                dist.display()
            ));
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    Ok(())
}

/// Starts the indexer over the seeded chain as the stack does and waits for its backfill,
/// printing the events indexed every [`PROGRESS_EVERY`] and the rate at the end.
fn backfill(paths: &Paths, stack: &Stack, folder: &Path) -> Result<Indexer> {
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    let config_file = folder.join("config.json");
    std::fs::write(&config_file, stack.config.to_json_pretty()).map_err(|e| e.to_string())?;
    let data = folder.join("pglite");
    let setup = Setup {
        config_file,
        database: Database::Pglite(data.clone()),
        port: process::free_port()?,
        log: paths.logs().join("indexer-bench-indexer.log"),
        serve_only: false,
    };
    // The same command line as `Indexer::start`, with a backfill limit that fits 1,000,000 listings.
    let indexer_dir = paths.root.join("indexer");
    let node_bin = paths.node22().parent().map(Path::to_path_buf).unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(node_bin).chain(std::env::split_paths(&paths.tool_path())))
        .map_err(|e| e.to_string())?;
    let mut command = Command::new(paths.node22());
    command
        .arg(indexer_dir.join("node_modules/ponder/dist/esm/bin/ponder.js"))
        .args(["start", "--schema", SCHEMA, "--hostname", "127.0.0.1", "--port", &setup.port.to_string()])
        .current_dir(&indexer_dir)
        .env("ASSAY_CONFIG", &setup.config_file)
        .env("ASSAY_CONTRACTS_OUT", paths.contracts().join("out"))
        .env("ASSAY_INDEXER_DATA", &data)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .env_remove("DATABASE_SCHEMA");
    let head = crate::rpc::Rpc { port: stack.ports.chain }.call("eth_blockNumber", serde_json::json!([]))?;
    println!("bench-indexer: chain head {head}; starting the indexer (log: {})", setup.log.display());
    let started = Instant::now();
    let mut service = Service::start("indexer", &mut command, &setup.log)?;
    let mut first_event = None;
    let mut last_print = Instant::now();
    loop {
        if let Some(status) = service.exited() {
            return Err(format!("the indexer exited ({status}); see {}", setup.log.display()));
        }
        let events = indexed_events(setup.port).unwrap_or(0);
        if events > 0 && first_event.is_none() {
            first_event = Some(started.elapsed());
        }
        if http::get(setup.port, "/ready").is_ok_and(|a| a.status == 200) {
            let events = indexed_events(setup.port)?;
            let total = started.elapsed().as_secs_f64();
            let indexing = total - first_event.map_or(0.0, |d| d.as_secs_f64());
            println!(
                "bench-indexer: backfill done: {events} events in {total:.1} s from the start ({:.0} events/s), \
                 {indexing:.1} s from the first event ({:.0} events/s); PGlite folder {:.0} MB",
                events as f64 / total,
                events as f64 / indexing.max(0.001),
                folder_bytes(folder) as f64 / 1e6,
            );
            break;
        }
        if last_print.elapsed() >= PROGRESS_EVERY {
            last_print = Instant::now();
            println!("bench-indexer: {:.0} s: {events} events indexed", started.elapsed().as_secs_f64());
        }
        if started.elapsed() > BACKFILL_LIMIT {
            return Err(format!("the backfill took over {BACKFILL_LIMIT:?} ({events} events)"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(Indexer { service, setup })
}

/// Ponder's count of indexed events (`ponder_indexing_completed_events`, summed over events).
fn indexed_events(port: u16) -> Result<u64> {
    let metrics = http::get(port, "/metrics")?.text();
    Ok(completed_events(&metrics))
}

fn completed_events(metrics: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| l.starts_with("ponder_indexing_completed_events"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).into_iter().flatten().flatten().fold(0, |sum, entry| match entry.file_type() {
        Ok(t) if t.is_dir() => sum + folder_bytes(&entry.path()),
        _ => sum + entry.metadata().map_or(0, |m| m.len()),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn ponder_s_event_counter_is_summed_over_events() {
        let metrics = "# HELP ponder_indexing_completed_events x\n\
            ponder_indexing_completed_events{event=\"AssayMarket:ModelListed\"} 10004\n\
            ponder_indexing_completed_events{event=\"AssayModels:Transfer\"} 12\n\
            ponder_indexing_timestamp{chain=\"assay\"} 1796548612\n";
        assert_eq!(super::completed_events(metrics), 10016);
    }
}
