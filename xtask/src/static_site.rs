//! A small static file server for the built app, with `config.json` supplied by the runner.
//!
//! Serving `dist/` as it is, plus a generated `config.json`, is exactly what any static host
//! (or an IPFS directory) does for Assay: the app needs no SPA fallback (its routes are hash
//! routes), no headers beyond a content type, and no server logic.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use tiny_http::{Header, Response, Server};

use crate::process::Result;

/// Requests answered at once.
const WORKERS: usize = 4;

/// A running static server; stops when dropped.
pub struct StaticSite {
    server: Arc<Server>,
    threads: Vec<JoinHandle<()>>,
    pub port: u16,
}

impl StaticSite {
    /// Serves `root` on 127.0.0.1:`port` (0 = any free port), answering `/config.json` with
    /// `config` (the runtime configuration) instead of a file.
    pub fn start(root: PathBuf, config: String, port: u16) -> Result<Self> {
        let server = Server::http(("127.0.0.1", port)).map_err(|e| format!("static server on port {port}: {e}"))?;
        let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
        let server = Arc::new(server);
        let root = Arc::new(root);
        let config = Arc::new(config);
        // Several workers: a browser loads the page's files in parallel, and one slow response
        // (a large wasm file to a busy client) must not hold up the others.
        let threads = (0..WORKERS)
            .map(|_| {
                let (worker, root, config) = (server.clone(), root.clone(), config.clone());
                std::thread::spawn(move || {
                    for request in worker.incoming_requests() {
                        let path = request.url().split(['?', '#']).next().unwrap_or("/").to_owned();
                        let response = if path == "/config.json" {
                            respond(config.as_bytes().to_vec(), "application/json")
                        } else {
                            match resolve(&root, &path) {
                                Some(file) => match std::fs::read(&file) {
                                    Ok(bytes) => respond(bytes, content_type(&file)),
                                    Err(_) => not_found(),
                                },
                                None => not_found(),
                            }
                        };
                        let _ = request.respond(response);
                    }
                })
            })
            .collect();
        Ok(Self { server, threads, port })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        // `unblock` wakes one waiting worker; each must be woken.
        for _ in 0..self.threads.len() {
            self.server.unblock();
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(bytes: Vec<u8>, content_type: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(bytes)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("Access-Control-Allow-Origin", "*"))
}

fn not_found() -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(b"not found".to_vec()).with_status_code(404).with_header(header("Content-Type", "text/plain"))
}

/// Maps a URL path to a file under `root`; `/` and directories give their `index.html`.
/// Refuses anything that would leave `root` (`..`, absolute components).
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = assay_core::route::percent_decode(url_path);
    let mut file = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The content type for a file name; `application/wasm` matters for streaming compilation.
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("assay-static-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("assets/app.wasm"), [0u8, 97, 115, 109]).unwrap();
        dir
    }

    #[test]
    fn resolves_files_and_directory_indexes_and_refuses_escapes() {
        let root = site();
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/assets/app.wasm"), Some(root.join("assets/app.wasm")));
        assert_eq!(resolve(&root, "/assets/../index.html"), None);
        assert_eq!(resolve(&root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(&root, "/missing.js"), None);
    }

    #[test]
    fn serves_files_config_and_404_over_http() {
        let root = site();
        let site = StaticSite::start(root, "{\"chainId\":31337}".into(), 0).unwrap();
        let get = |path: &str| {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", site.port)).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut text = String::new();
            stream.read_to_string(&mut text).unwrap();
            text
        };
        let index = get("/");
        assert!(index.starts_with("HTTP/1.1 200"), "{index}");
        assert!(index.contains("text/html"));
        let config = get("/config.json?cache=1");
        assert!(config.ends_with("{\"chainId\":31337}"), "{config}");
        assert!(get("/assets/app.wasm").contains("application/wasm"));
        assert!(get("/nope").starts_with("HTTP/1.1 404"));
    }
}
