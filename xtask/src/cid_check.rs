//! Host cross-check: `assay_core::ipfs::cid_of` (pure Rust, used by the app) against the real dev
//! IPFS node's `/api/v0/add` for the same bytes. (The browser side, the bundled JS importer, is
//! checked against the node in the e2e suite.)

use assay_core::ipfs::{cid_of, profile::CHUNK_SIZE};

use crate::kubo::Kubo;
use crate::paths::Paths;
use crate::stack::start_ipfs_node;

#[test]
fn cid_of_equals_the_dev_nodes_add() {
    let paths = Paths::discover();
    let repo = std::env::temp_dir().join(format!("assay-cid-check-{}", std::process::id()));
    let log = std::env::temp_dir().join(format!("assay-cid-check-{}.log", std::process::id()));
    let (node, port) =
        start_ipfs_node(&paths, 0, &repo, &log).expect("the dev IPFS node starts (run `cargo xtask install` first)");
    let kubo = Kubo { port };

    let pattern = |len: usize| -> Vec<u8> { (0..len).map(|i| (i.wrapping_mul(7919) >> 3) as u8 ^ (i as u8)).collect() };
    for (what, bytes) in [
        ("empty", Vec::new()),
        ("hello world", b"hello world".to_vec()),
        ("one full chunk", pattern(CHUNK_SIZE)),
        ("one chunk + 1 byte", pattern(CHUNK_SIZE + 1)),
        ("3 MiB + 17", pattern(3 * CHUNK_SIZE + 17)),
        ("7.5 MB", pattern(7_500_000)),
    ] {
        assert_eq!(cid_of(&bytes).to_string(), kubo.add("f.bin", &bytes).unwrap(), "{what}");
    }
    drop(node);
    let _ = std::fs::remove_dir_all(&repo);
    let _ = std::fs::remove_file(&log);
}
