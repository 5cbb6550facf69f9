//! Building the app: the IPFS bundle (esbuild), then Trunk (the page and the tract worker), with
//! or without the benchmark pages; the cargo builds Trunk will run, so they can start early.

use std::path::Path;
use std::process::Command;

use crate::paths::Paths;
use crate::process::{self, Result};

/// Which pages an app build has.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    /// What visitors get (`cargo xtask publish`).
    Published,
    /// Plus the benchmark pages (the app's `bench` feature): the e2e suite, the dev stack, the
    /// browser benchmarks.
    WithBench,
}

impl Pages {
    /// The features Trunk is asked for (`--features`).
    fn cargo_features(self) -> Option<&'static str> {
        match self {
            Pages::Published => None,
            Pages::WithBench => Some("bench"),
        }
    }
}

/// `trunk build` with npm binaryen's wasm-opt first on PATH.
pub fn build_app(paths: &Paths, release: bool, pages: Pages) -> Result<()> {
    build_ipfs_bundle(paths)?;
    println!("Building the app with Trunk ({})", if release { "release" } else { "debug" });
    let mut command = Command::new(paths.cargo_bin().join("trunk"));
    command.arg("build").current_dir(&paths.root).env("PATH", paths.tool_path());
    if release {
        command.arg("--release");
    }
    // The page's features reach its build (Trunk's post-build hook, app_wasm.rs) this way.
    command.env(crate::app_wasm::FEATURES_ENV, pages.cargo_features().unwrap_or_default());
    // The hook runs this task runner's own binary rather than `cargo xtask`: cargo would first
    // wait for the target directory's lock, held by the host tests' build for many minutes of a
    // cold test run (the e2e suite's critical path).
    if let Ok(exe) = std::env::current_exe() {
        command.env(crate::app_wasm::XTASK_ENV, exe);
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

/// The cargo builds of the release app, so that they can start early and Trunk (and its hook)
/// find them fresh: the page's own (`app_wasm::cargo_args`, with `pages`' features), then the
/// ones Trunk runs, read from app/index.html's `<link data-trunk rel="rust">` tags (the tract
/// worker, with its profile and features) with Trunk's own arguments (Trunk.toml: offline).
/// Trunk's rule for features is followed: a tag's own feature attributes, else none (the page's
/// features go to the hook, not to Trunk). Tags Trunk skips (`data-trunk-skip`: the page) are left out.
pub fn release_cargo_builds(index_html: &str, pages: Pages) -> Vec<(String, Vec<String>)> {
    let attr = |tag: &str, name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next().map(str::to_owned)
    };
    let page = crate::app_wasm::cargo_args(true, pages.cargo_features().unwrap_or_default());
    let mut builds = vec![("assay-app".to_owned(), page)];
    for tag in index_html.split("<link").skip(1).filter_map(|t| t.split('>').next()) {
        if !tag.contains(" data-trunk")
            || attr(tag, "rel").as_deref() != Some("rust")
            || tag.contains(" data-trunk-skip")
        {
            continue;
        }
        let href = attr(tag, "href").unwrap_or_else(|| "Cargo.toml".to_owned());
        let manifest = format!("app/{href}");
        let mut args: Vec<String> =
            ["build", "--target=wasm32-unknown-unknown", "--manifest-path", &manifest].map(str::to_owned).to_vec();
        match attr(tag, "data-cargo-profile-release") {
            Some(profile) => args.extend(["--profile".to_owned(), profile]),
            None => args.push("--release".to_owned()),
        }
        args.push("--offline".to_owned());
        let bin = attr(tag, "data-bin");
        if let Some(bin) = &bin {
            args.extend(["--bin".to_owned(), bin.clone()]);
        }
        if tag.contains(" data-cargo-all-features") {
            args.push("--all-features".to_owned());
        } else {
            if tag.contains(" data-cargo-no-default-features") {
                args.push("--no-default-features".to_owned());
            }
            if let Some(features) = attr(tag, "data-cargo-features") {
                args.extend(["--features".to_owned(), features]);
            }
        }
        builds.push((bin.unwrap_or(manifest), args));
    }
    builds
}

#[cfg(test)]
mod tests {
    use super::{Pages, release_cargo_builds};

    #[test]
    fn the_release_builds_are_the_page_and_the_trunk_links() {
        let html = r#"<link data-trunk rel="css" href="../style/main.css" />
    <link data-trunk rel="rust" href="Cargo.toml" data-bin="assay-app" data-trunk-skip />
    <link data-trunk rel="rust" href="../inference/worker/Cargo.toml" data-bin="assay-tract-worker" data-type="worker" data-cargo-profile-release="release-worker" />"#;
        let builds = release_cargo_builds(html, Pages::Published);
        let line = |i: usize| format!("{} {}", builds[i].0, builds[i].1.join(" "));
        assert_eq!(builds.len(), 2);
        assert_eq!(
            line(0),
            "assay-app rustc --package assay-app --bin assay-app --target wasm32-unknown-unknown --offline --release --features parts -- -C link-arg=--emit-relocs"
        );
        assert_eq!(
            line(1),
            "assay-tract-worker build --target=wasm32-unknown-unknown --manifest-path app/../inference/worker/Cargo.toml --profile release-worker --offline --bin assay-tract-worker"
        );
        let real = std::fs::read_to_string(crate::paths::Paths::discover().root.join("app/index.html")).unwrap();
        let real = release_cargo_builds(&real, Pages::WithBench);
        assert_eq!(real.len(), 2, "app/index.html: the page and the tract worker");
        assert!(real[0].1.contains(&"parts,bench".to_owned()), "the page gets the bench pages: {:?}", real[0]);
        assert!(real[1].1.ends_with(&["--features".to_owned(), String::new()]), "and not the worker: {:?}", real[1]);
    }
}
