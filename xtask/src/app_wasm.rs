//! The page's wasm in parts (issue #24: a first visit downloads Browse, not the wizard, the trial
//! or the dashboards). `app/src/pages/parts.rs` marks each page's entry with `#[wasm_split]`;
//! this cuts them out:
//!
//! 1. `cargo rustc … -- -C link-arg=--emit-relocs` (the splitter reads the linker's relocations;
//!    only the final link gets the flag, so no dependency is rebuilt for it);
//! 2. the splitter (`wasm_split_cli_support`, the one Leptos' `#[lazy]` is made for): the main
//!    module, one module per part, shared modules, and `__wasm_split.js` that fetches them;
//! 3. `wasm-bindgen --target web --keep-lld-exports` (the parts call the main module's functions);
//! 4. `wasm-opt` on every module (release);
//! 5. all of it into `app-<hash>/` of the site (the hash of the files, so a new build never mixes
//!    with a cached old part), and the script that starts the app into `index.html`.
//!
//! Trunk builds everything else and runs this as its post-build hook (`Trunk.toml`), so
//! `trunk build`, `trunk watch` and every `cargo xtask` build split the same way. Trunk tells the
//! hook its profile and staging folder; the app's cargo features come from `ASSAY_APP_FEATURES`
//! (`build_app` sets `bench` there).

use std::path::{Path, PathBuf};
use std::process::Command;

use alloy_primitives::hex;
use sha2::{Digest, Sha256};

use crate::paths::Paths;
use crate::process::{self, Result};

/// The environment variable with the app's cargo features (comma-separated; empty = none).
pub const FEATURES_ENV: &str = "ASSAY_APP_FEATURES";

/// The environment variable with the task runner's binary, for Trunk's hook (Trunk.toml).
pub const XTASK_ENV: &str = "ASSAY_XTASK";

const NAME: &str = "assay-app";

/// `cargo xtask app-wasm`: Trunk's post-build hook.
pub fn run_hook(paths: &Paths) -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("app-wasm runs as Trunk's post-build hook (TRUNK_STAGING_DIR is not set)")?;
    let release = std::env::var("TRUNK_PROFILE").as_deref() == Ok("release");
    let features = std::env::var(FEATURES_ENV).unwrap_or_default();
    build_into(paths, &staging, release, &features)
}

/// The cargo arguments of the page's build (also used to start it early, `test.rs`).
pub fn cargo_args(release: bool, features: &str) -> Vec<String> {
    let mut args: Vec<String> =
        ["rustc", "--package", NAME, "--bin", NAME, "--target", "wasm32-unknown-unknown", "--offline"]
            .map(str::to_owned)
            .to_vec();
    if release {
        args.push("--release".to_owned());
    }
    // `parts`: the pages as split points (app/Cargo.toml).
    let features = if features.is_empty() { "parts".to_owned() } else { format!("parts,{features}") };
    args.extend(["--features".to_owned(), features]);
    args.extend(["--".to_owned(), "-C".to_owned(), "link-arg=--emit-relocs".to_owned()]);
    args
}

/// Builds the page's wasm in parts into `site/app-<hash>/` and starts it from `site/index.html`.
pub fn build_into(paths: &Paths, site: &Path, release: bool, features: &str) -> Result<()> {
    let linked = cargo_build(paths, release, features)?;
    let work = linked.with_file_name(format!("{NAME}-parts"));
    let out = work.join("out");
    let input = std::fs::read(&linked).map_err(|e| format!("{}: {e}", linked.display()))?;
    // The parts of an unchanged build are made once: a second Trunk build of the same code (the dev
    // smoke suite after the e2e suite, `trunk watch` after a stylesheet change) copies them.
    let key = made_from(paths, &input, release);
    let stamp = work.join("made-from");
    let summary = if out.is_dir() && std::fs::read_to_string(&stamp).is_ok_and(|made| made == key) {
        "reused: the linked wasm is unchanged".to_owned()
    } else {
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let summary = make_parts(paths, input, &work, &out, release)?;
        std::fs::write(&stamp, &key).map_err(|e| format!("{}: {e}", stamp.display()))?;
        summary
    };

    // Every file of the output, sorted: hashed for the folder's name, and its glue's imports
    // (wasm-bindgen's snippets, the parts' loader) preloaded with it, since the browser would
    // otherwise find them only after parsing the glue.
    let mut files = Vec::new();
    collect_files(&out, &out, &mut files)?;
    files.sort();
    let hash = folder_hash(&out, &files)?;
    let folder = format!("app-{hash}");
    let target = site.join(&folder);
    let _ = std::fs::remove_dir_all(&target);
    crate::app_build::copy_dir(&out, &target)?;
    let index = site.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let imports: Vec<String> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "js") && f.as_os_str() != format!("{NAME}.js").as_str())
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    std::fs::write(&index, with_start_script(&html, &folder, &imports)?)
        .map_err(|e| format!("{}: {e}", index.display()))?;
    let main_size = std::fs::metadata(target.join(format!("{NAME}_bg.wasm"))).map(|m| m.len()).unwrap_or(0);
    println!("app-wasm: {folder}: main module {main_size} bytes ({summary})");
    Ok(())
}

/// What a build's parts are made from: the linked wasm, the profile, and the task runner and
/// wasm-bindgen that make them (their size and time: a new build of either makes them again).
fn made_from(paths: &Paths, input: &[u8], release: bool) -> String {
    let mut hasher = Sha256::new();
    hasher.update(input);
    hasher.update([u8::from(release)]);
    let tools = [std::env::current_exe().ok(), Some(paths.cargo_bin().join("wasm-bindgen"))];
    for tool in tools.into_iter().flatten() {
        if let Ok(meta) = std::fs::metadata(&tool) {
            hasher.update(meta.len().to_le_bytes());
            let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            hasher.update(modified.map_or(0, |d| d.as_nanos()).to_le_bytes());
        }
    }
    hex::encode(hasher.finalize())
}

/// Splits the linked wasm into `out` (through `work`), runs wasm-bindgen and, for a release,
/// wasm-opt; says how many parts and how long each step took.
fn make_parts(paths: &Paths, input: Vec<u8>, work: &Path, out: &Path, release: bool) -> Result<String> {
    let started = std::time::Instant::now();
    let main = work.join(format!("{NAME}_split.wasm"));
    let main_module = format!("./{NAME}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = out;
        options.main_out_path = &main;
        options.main_module = &main_module;
        options.link_name = "./__wasm_split.js";
        options
    })
    .map_err(|e| format!("splitting the page's wasm: {e:#}"))?;
    drop(input);
    let split_s = started.elapsed().as_secs_f64();

    process::run(
        "wasm-bindgen",
        Command::new(paths.cargo_bin().join("wasm-bindgen"))
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript", "--out-name", NAME])
            .arg("--out-dir")
            .arg(out)
            .arg(&main),
    )?;
    let bindgen_s = started.elapsed().as_secs_f64() - split_s;
    let mut modules = split.split_modules.clone();
    modules.push(out.join(format!("{NAME}_bg.wasm")));
    if release {
        optimise(paths, &modules)?;
    }
    let optimise_s = started.elapsed().as_secs_f64() - split_s - bindgen_s;
    Ok(format!(
        "{} parts; {}; split {split_s:.1} s, wasm-bindgen {bindgen_s:.1} s, wasm-opt {optimise_s:.1} s",
        split.split_modules.len(),
        if release { "release" } else { "debug" }
    ))
}

/// Runs the page's cargo build and returns the linked `.wasm` it produced.
fn cargo_build(paths: &Paths, release: bool, features: &str) -> Result<PathBuf> {
    let mut args = cargo_args(release, features);
    let flags_at = args.iter().position(|a| a == "--").unwrap_or(args.len());
    args.insert(flags_at, "--message-format=json-render-diagnostics".to_owned());
    let mut command = Command::new("cargo");
    command.args(&args).current_dir(&paths.root).stderr(std::process::Stdio::inherit());
    let output = command.output().map_err(|e| format!("cargo rustc: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo build of the page failed ({})", output.status));
    }
    linked_wasm(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| "cargo built the page but named no .wasm artifact".to_owned())
}

/// The `.wasm` that cargo's JSON messages name for the page's binary.
fn linked_wasm(messages: &str) -> Option<PathBuf> {
    messages.lines().filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok()).find_map(|message| {
        if message["reason"] != "compiler-artifact" || message["target"]["name"] != NAME {
            return None;
        }
        message["filenames"]
            .as_array()?
            .iter()
            .filter_map(|f| f.as_str())
            .find(|f| f.ends_with(".wasm"))
            .map(PathBuf::from)
    })
}

/// Parts smaller than this are left as the linker made them (already `opt-level = "z"`): on a
/// part of a few KiB `wasm-opt` saves a few hundred bytes and costs a Node start of npm binaryen
/// (about a second each, dozens of shared parts).
const OPTIMISE_FROM_BYTES: u64 = 32 * 1024;

/// `wasm-opt -Oz` on the main module and every part of at least [`OPTIMISE_FROM_BYTES`], as many
/// at a time as there are cores. Its warnings about the splitter's name subsections are dropped.
fn optimise(paths: &Paths, modules: &[PathBuf]) -> Result<()> {
    let wasm_opt = paths.binaryen_bin().join("wasm-opt");
    let mut modules: Vec<&PathBuf> = modules
        .iter()
        .filter(|m| std::fs::metadata(m).map(|meta| meta.len() >= OPTIMISE_FROM_BYTES).unwrap_or(true))
        .collect();
    // Largest first, so the main module does not start last.
    modules.sort_by_key(|m| std::cmp::Reverse(std::fs::metadata(m).map(|meta| meta.len()).unwrap_or(0)));
    let at_once = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let queue = std::sync::Mutex::new(modules.into_iter());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..at_once)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(module) = queue.lock().expect("queue").next() {
                        let output = Command::new(&wasm_opt)
                            .arg("-Oz")
                            .arg(module)
                            .arg("-o")
                            .arg(module)
                            .output()
                            .map_err(|e| format!("wasm-opt: {e}"))?;
                        let stderr = String::from_utf8_lossy(&output.stderr);
                        for line in stderr.lines().filter(|l| !l.contains("unknown name subsection")) {
                            eprintln!("wasm-opt: {line}");
                        }
                        if !output.status.success() {
                            return Err(format!("wasm-opt failed on {} ({})", module.display(), output.status));
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().unwrap_or_else(|_| Err("wasm-opt worker panicked".to_owned())))
    })
}

/// The first 16 hex digits of the SHA-256 over each of `files` (relative to `folder`, in order):
/// its path and its bytes.
fn folder_hash(folder: &Path, files: &[PathBuf]) -> Result<String> {
    let mut hasher = Sha256::new();
    for relative in files {
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(folder.join(relative)).map_err(|e| e.to_string())?);
    }
    Ok(hex::encode(&hasher.finalize()[..8]))
}

fn collect_files(root: &Path, folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else {
            files.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// The script that sends Browse's first requests while the wasm loads (`app/early.js`).
const EARLY_REQUESTS: &str = include_str!("../../app/early.js");

/// `index.html` with the app's start: the script of its early requests, preloads of its JS, the
/// modules it imports (`imports`, relative to `folder`) and the main wasm, and the module script
/// that starts it (the same event and global Trunk's own script gives), before `</head>`.
pub fn with_start_script(html: &str, folder: &str, imports: &[String]) -> Result<String> {
    let at = html.find("</head>").ok_or("index.html has no </head>")?;
    let js = format!("./{folder}/{NAME}.js");
    let wasm = format!("./{folder}/{NAME}_bg.wasm");
    let preloads: String = imports
        .iter()
        .map(|i| format!("<link rel=\"modulepreload\" href=\"./{folder}/{i}\" crossorigin=\"anonymous\">"))
        .collect();
    let start = format!(
        "<script>\n{EARLY_REQUESTS}</script>\n{preloads}<link rel=\"modulepreload\" href=\"{js}\" crossorigin=\"anonymous\">\
         <link rel=\"preload\" href=\"{wasm}\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">\n\
         <script type=\"module\">\nimport init, * as bindings from '{js}';\n\
         const wasm = await init({{ module_or_path: '{wasm}' }});\nwindow.wasmBindings = bindings;\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{detail: {{wasm}}}}));\n</script>\n"
    );
    Ok(format!("{}{start}{}", &html[..at], &html[at..]))
}

#[cfg(test)]
mod tests {
    use assay_core::browse::Query;
    use assay_core::config::CONFIG_FILE;
    use assay_core::indexer::{
        MAX_PAGE, STATUS_PATH, TIMEOUT, catalogue_size_params, models_path, no_answer, page_params,
    };

    use super::{EARLY_REQUESTS, XTASK_ENV, cargo_args, linked_wasm, made_from, with_start_script};
    use crate::paths::Paths;

    /// The parts are made again for any other linked wasm or profile, and reused for the same.
    #[test]
    fn parts_are_made_from_the_linked_wasm_and_the_profile() {
        let paths = Paths::discover();
        let key = made_from(&paths, b"\0asm one", true);
        assert_eq!(key, made_from(&paths, b"\0asm one", true));
        assert_ne!(key, made_from(&paths, b"\0asm two", true));
        assert_ne!(key, made_from(&paths, b"\0asm one", false));
    }

    #[test]
    fn only_the_final_link_gets_the_relocations() {
        let args = cargo_args(true, "bench").join(" ");
        assert_eq!(
            args,
            "rustc --package assay-app --bin assay-app --target wasm32-unknown-unknown --offline --release --features parts,bench -- -C link-arg=--emit-relocs"
        );
        assert!(cargo_args(false, "").join(" ").contains("--features parts --"));
    }

    /// Trunk's hook runs the binary the task runner names, and `cargo xtask` without it.
    #[test]
    fn trunks_hook_runs_the_task_runner_it_is_given() {
        let trunk = std::fs::read_to_string(Paths::discover().root.join("Trunk.toml")).unwrap();
        let line = trunk.lines().find(|l| l.starts_with("command_arguments = [\"-c\", \"")).unwrap();
        let script =
            line.trim_start_matches("command_arguments = [\"-c\", \"").trim_end_matches("\"]").replace("\\\"", "\"");
        let run = |xtask: Option<&str>| {
            // A shell function stands in for cargo, `echo` for the task runner: what would run is printed.
            let mut sh = std::process::Command::new("sh");
            sh.args(["-c", &format!("cargo() {{ echo cargo \"$@\"; }}; {}", script.replace("exec ", ""))]);
            sh.env_remove(XTASK_ENV);
            if let Some(xtask) = xtask {
                sh.env(XTASK_ENV, xtask);
            }
            String::from_utf8(sh.output().unwrap().stdout).unwrap()
        };
        assert_eq!(run(None), "cargo xtask app-wasm\n");
        assert_eq!(run(Some("echo")), "app-wasm\n");
    }

    #[test]
    fn the_linked_wasm_is_read_from_cargos_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"assay-core"},"filenames":["/t/libassay_core.rlib"]}
{"reason":"compiler-artifact","target":{"name":"assay-app"},"filenames":["/t/wasm32-unknown-unknown/release/assay-app.wasm"]}
{"reason":"build-finished","success":true}"#;
        assert_eq!(linked_wasm(messages).unwrap().to_str(), Some("/t/wasm32-unknown-unknown/release/assay-app.wasm"));
        assert!(linked_wasm(r#"{"reason":"build-finished","success":true}"#).is_none());
    }

    #[test]
    fn the_start_script_goes_before_the_head_closes() {
        let imports = ["__wasm_split.js".to_owned()];
        let html =
            with_start_script("<html><head><title>A</title></head><body></body></html>", "app-0123", &imports).unwrap();
        let early = format!("<html><head><title>A</title><script>\n{EARLY_REQUESTS}</script>\n");
        assert!(html.starts_with(&early));
        assert!(html[early.len()..].starts_with(
            "<link rel=\"modulepreload\" href=\"./app-0123/__wasm_split.js\" crossorigin=\"anonymous\"><link rel=\"modulepreload\" href=\"./app-0123/assay-app.js\""
        ));
        assert!(html.contains("import init, * as bindings from './app-0123/assay-app.js';"));
        assert!(html.contains("init({ module_or_path: './app-0123/assay-app_bg.wasm' })"));
        assert!(html.ends_with("</script>\n</head><body></body></html>"));
        assert!(with_start_script("<html></html>", "x", &[]).is_err());
    }

    /// The start script asks what the app would ask first, at the same addresses: otherwise the
    /// app asks again and the early requests are wasted.
    #[test]
    fn the_early_requests_are_the_apps_first_ones() {
        let query = Query::default();
        let first_page = models_path(&page_params(&query, query.shown.min(MAX_PAGE)).unwrap());
        assert!(EARLY_REQUESTS.contains(&format!("const DEFAULT_PAGE = '{first_page}'\n")), "{first_page}");
        assert!(EARLY_REQUESTS.contains(&format!("ask(`${{base}}{}`, signal)", models_path(&catalogue_size_params()))));
        assert!(EARLY_REQUESTS.contains(&format!("ask(`${{base}}{STATUS_PATH}`, signal)")));
        assert!(EARLY_REQUESTS.contains(&format!("ask('{CONFIG_FILE}')")));
        // The same deadline, and the same words when it runs out.
        assert!(EARLY_REQUESTS.contains(&format!("AbortSignal.timeout({})", TIMEOUT.as_millis())));
        assert!(EARLY_REQUESTS.contains(&format!("'{}'", no_answer())));
    }
}
