//! A small static file server for the built app, with `config.json` supplied by the runner.
//!
//! Serving `dist/` as it is, plus a generated `config.json`, is exactly what any static host
//! (or an IPFS directory) does for Assay: the app needs no SPA fallback (its routes are hash
//! routes), no headers beyond a content type, and no server logic.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::process::Result;

/// A running static server; stops when dropped.
///
/// One thread per connection, one request per connection (`Connection: close`). It replaced
/// tiny_http 0.12, whose connection thread pool loses a wake-up when several connections arrive
/// at once: with a fresh Chromium's six parallel keep-alive connections, two requests (the app's
/// wasm among them) sat unread in the socket for minutes on most first loads — the e2e suite's
/// "first page stalls" (the kernel showed their bytes queued, unread, with `ss -tn`).
pub struct StaticSite {
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    pub port: u16,
}

impl StaticSite {
    /// Serves `root` on 127.0.0.1:`port` (0 = any free port), answering `/config.json` with
    /// `config` (the runtime configuration) instead of a file.
    pub fn start(root: PathBuf, config: String, port: u16) -> Result<Self> {
        let listener =
            TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("static server on port {port}: {e}"))?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        let stop = Arc::new(AtomicBool::new(false));
        let (root, config, stopping) = (Arc::new(root), Arc::new(config), stop.clone());
        let acceptor = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::Acquire) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (root, config) = (root.clone(), config.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &root, &config);
                });
            }
        });
        Ok(Self { stop, acceptor: Some(acceptor), port })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the acceptor with one last connection.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Reads one request's head and answers it.
fn serve(stream: TcpStream, root: &Path, config: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The rest of the head (headers) is read and ignored: nothing here depends on them.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, content_type, body) = if method != "GET" && method != "HEAD" {
        ("405 Method Not Allowed", "text/plain", b"only GET".to_vec())
    } else if path == "/config.json" {
        ("200 OK", "application/json", config.as_bytes().to_vec())
    } else {
        match resolve(root, path).and_then(|file| std::fs::read(&file).ok().map(|bytes| (file, bytes))) {
            Some((file, bytes)) => ("200 OK", content_type(&file), bytes),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method == "GET" {
        stream.write_all(&body)?;
    }
    stream.flush()
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
        let get = |path: &str| crate::http::get(site.port, path).unwrap();
        let header = |answer: &crate::http::Answer, name: &str| {
            answer.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
        };
        let index = get("/");
        assert_eq!(index.status, 200, "{}", index.text());
        assert!(header(&index, "content-type").contains("text/html"));
        assert_eq!(get("/config.json?cache=1").text(), "{\"chainId\":31337}");
        assert_eq!(header(&get("/assets/app.wasm"), "content-type"), "application/wasm");
        assert_eq!(get("/nope").status, 404);
    }
}
