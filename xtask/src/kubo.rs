//! The IPFS node's Kubo RPC API (`/api/v0`), as the task runner uses it: adding one file
//! (multipart `add` under the fixed import profile of `assay_core::ipfs`), adding a directory
//! (`ipfs-node/src/publish-dir.js`, which streams it to any node, https included), and `version`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::http::{self, Answer};
use crate::paths::Paths;
use crate::process::{self, Result};

/// The multipart boundary of every `add`; the parts are never parsed for it, only the body's
/// framing, so one fixed value is enough.
const BOUNDARY: &str = "assay-xtask-4f1c9e2b7a";

/// A node's Kubo RPC on 127.0.0.1.
#[derive(Clone, Copy, Debug)]
pub struct Kubo {
    pub port: u16,
}

impl Kubo {
    /// Adds one file named `name` under the fixed import profile; returns the CID the node gave it.
    pub fn add(&self, name: &str, bytes: &[u8]) -> Result<String> {
        let answer = http::request(
            self.port,
            "POST",
            &assay_core::ipfs::api_add_url("/api/v0"),
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            &multipart_body(BOUNDARY, name, bytes),
        )
        .map_err(|e| format!("adding {name} to the IPFS node: {e}"))?;
        if answer.status != 200 {
            return Err(format!("adding {name} to the IPFS node: HTTP {} {}", answer.status, answer.text().trim()));
        }
        cid_from_add_answer(&answer.text()).map_err(|e| format!("adding {name} to the IPFS node: {e}"))
    }

    /// [`Kubo::add`], requiring the node's CID to equal the one `assay_core::ipfs::cid_of`
    /// computes for the bytes.
    pub fn add_checked(&self, name: &str, bytes: &[u8]) -> Result<String> {
        let cid = self.add(name, bytes)?;
        let expected = assay_core::ipfs::cid_of(bytes).to_string();
        if cid != expected {
            return Err(format!("the IPFS node gave {name} the CID {cid}, but its bytes have the CID {expected}"));
        }
        Ok(cid)
    }

    /// `POST /api/v0/version`, answered as it comes.
    pub fn version(&self) -> Result<Answer> {
        http::request(self.port, "POST", "/api/v0/version", "application/json", b"")
    }
}

/// Adds `dir` as a UnixFS directory through the Kubo RPC API at `api` (the node's base URL, http
/// or https) with `ipfs-node/src/publish-dir.js`; returns the root CID.
pub fn add_dir(paths: &Paths, api: &str, dir: &Path) -> Result<String> {
    let output = process::output_of(
        Command::new(paths.node22()).arg(paths.ipfs_node().join("src/publish-dir.js")).arg(dir).args(["--api", api]),
    )
    .ok_or_else(|| format!("publishing {} to the IPFS node at {api} failed", dir.display()))?;
    let cid = output.trim().to_owned();
    if cid.is_empty() || cid.contains(char::is_whitespace) {
        return Err(format!("publish-dir printed {output:?}, not a CID"));
    }
    Ok(cid)
}

/// A `multipart/form-data` body with one file part named `file`, as Kubo's `add` takes it.
pub fn multipart_body(boundary: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        filename.replace(['"', '\r', '\n'], "_")
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The root's `Hash` from an `add` answer: NDJSON, one line per entry, the root last.
pub fn cid_from_add_answer(ndjson: &str) -> Result<String> {
    let last = ndjson.lines().rev().find(|l| !l.trim().is_empty()).ok_or("the node answered nothing")?;
    let entry: Value = serde_json::from_str(last).map_err(|e| format!("the node answered {last:?}: {e}"))?;
    entry["Hash"].as_str().map(str::to_owned).ok_or_else(|| format!("the node's answer has no Hash: {last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_multipart_body_has_one_file_part() {
        let body = multipart_body("b0und", "digits.onnx", b"\x00\x01onnx");
        let expected = b"--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"digits.onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01onnx\r\n--b0und--\r\n";
        assert_eq!(body, expected.to_vec());
        let odd = String::from_utf8(multipart_body("b", "a\"b\r\n.json", b"")).unwrap();
        assert!(odd.contains("filename=\"a_b__.json\""), "{odd}");
    }

    #[test]
    fn the_add_answer_gives_the_root_cid() {
        let answer = "{\"Name\":\"a/x.onnx\",\"Hash\":\"bafkreileaf\",\"Size\":\"3\"}\n{\"Name\":\"a\",\"Hash\":\"bafybeiroot\",\"Size\":\"60\"}\n";
        assert_eq!(cid_from_add_answer(answer).unwrap(), "bafybeiroot");
        assert!(cid_from_add_answer("").unwrap_err().contains("nothing"));
        assert!(cid_from_add_answer("{\"Name\":\"x\"}\n").unwrap_err().contains("no Hash"));
        assert!(cid_from_add_answer("Internal error\n").is_err());
    }

    /// `add` against a stand-in node: the request is the profile's multipart POST, and a node
    /// that answers another CID than `cid_of` is refused by `add_checked`.
    #[test]
    fn add_posts_the_profile_and_add_checked_refuses_a_wrong_cid() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let kubo = Kubo { port: listener.local_addr().unwrap().port() };
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..2 {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.ends_with(format!("--{BOUNDARY}--\r\n").as_bytes()) {
                    let n = stream.read(&mut buf).unwrap();
                    assert!(n > 0, "client closed early");
                    request.extend_from_slice(&buf[..n]);
                }
                let body = "{\"Name\":\"x\",\"Hash\":\"bafkreinotit\",\"Size\":\"5\"}\n";
                write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
                seen.push(String::from_utf8_lossy(&request).into_owned());
            }
            seen
        });
        assert_eq!(kubo.add("x.txt", b"hello").unwrap(), "bafkreinotit");
        let refused = kubo.add_checked("x.txt", b"hello").unwrap_err();
        assert!(refused.contains("bafkreinotit") && refused.contains("x.txt"), "{refused}");
        let seen = server.join().unwrap();
        let path = assay_core::ipfs::api_add_url("/api/v0");
        assert!(seen[0].starts_with(&format!("POST {path} HTTP/1.1\r\n")), "{}", seen[0]);
        assert!(seen[0].contains(&format!("multipart/form-data; boundary={BOUNDARY}")), "{}", seen[0]);
        assert!(seen[0].contains("filename=\"x.txt\"") && seen[0].contains("\r\n\r\nhello\r\n"), "{}", seen[0]);
    }
}
