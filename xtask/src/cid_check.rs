//! Host cross-check: `assay_core::ipfs::cid_of` (pure Rust, used by the app) against the real dev
//! IPFS node's `/api/v0/add` for the same bytes. (The browser side, the bundled JS importer, is
//! checked against the node in the e2e suite.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use assay_core::ipfs::{cid_of, profile::CHUNK_SIZE};

use crate::paths::Paths;
use crate::process::Service;

/// POSTs `bytes` as one multipart `file` part to `/api/v0/add` and returns the `Hash` it reports.
fn node_add(port: u16, bytes: &[u8]) -> String {
    let boundary = "assay-cid-check-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        stream,
        "POST /api/v0/add?cid-version=1&raw-leaves=true&chunker=size-{CHUNK_SIZE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let start = response.find("\"Hash\":\"").expect("a Hash in the answer") + 8;
    response[start..start + response[start..].find('"').unwrap()].to_owned()
}

#[test]
fn cid_of_equals_the_dev_nodes_add() {
    let paths = Paths::discover();
    let repo = std::env::temp_dir().join(format!("assay-cid-check-{}", std::process::id()));
    let log = std::env::temp_dir().join(format!("assay-cid-check-{}.log", std::process::id()));
    let (node, ready) = Service::start_with_ready_line(
        "ipfs-node",
        Command::new(paths.node22())
            .arg(paths.ipfs_node().join("src/main.js"))
            .args(["--host", "127.0.0.1", "--port", "0", "--repo"])
            .arg(&repo),
        &log,
        Duration::from_secs(60),
    )
    .expect("the dev IPFS node starts (run `cargo xtask install` first)");
    let url: serde_json::Value = serde_json::from_str(&ready).unwrap();
    let port: u16 = url["url"].as_str().unwrap().rsplit(':').next().unwrap().parse().unwrap();

    let pattern = |len: usize| -> Vec<u8> { (0..len).map(|i| (i.wrapping_mul(7919) >> 3) as u8 ^ (i as u8)).collect() };
    for (what, bytes) in [
        ("empty", Vec::new()),
        ("hello world", b"hello world".to_vec()),
        ("one full chunk", pattern(CHUNK_SIZE)),
        ("one chunk + 1 byte", pattern(CHUNK_SIZE + 1)),
        ("3 MiB + 17", pattern(3 * CHUNK_SIZE + 17)),
        ("7.5 MB", pattern(7_500_000)),
    ] {
        assert_eq!(cid_of(&bytes).to_string(), node_add(port, &bytes), "{what}");
    }
    drop(node);
    let _ = std::fs::remove_dir_all(&repo);
    let _ = std::fs::remove_file(&log);
}
