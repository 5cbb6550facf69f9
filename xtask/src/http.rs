//! A small HTTP/1.1 client over `std::net::TcpStream` for the local stack (anvil's JSON-RPC, the
//! IPFS node's Kubo RPC and gateway, the app server): one request per connection
//! (`Connection: close`), bodies framed by `Content-Length` or `Transfer-Encoding: chunked`.
//! Only `127.0.0.1`: the task runner never talks HTTP to anything it did not start.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::process::Result;

/// What a request answered.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Header lines as sent, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, or why not.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body)
            .map_err(|e| format!("HTTP {} answered non-JSON ({e}): {:.200}", self.status, self.text()))
    }
}

/// How long one request may take before it is abandoned.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Sends one request to `127.0.0.1:port` and reads the whole answer.
pub fn request(port: u16, method: &str, path: &str, content_type: &str, body: &[u8]) -> Result<Answer> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("cannot connect to 127.0.0.1:{port}: {e}"))?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).map_err(|e| format!("{method} {path} on :{port}: {e}"))?;
    stream.write_all(body).map_err(|e| format!("{method} {path} on :{port}: {e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| format!("{method} {path} on :{port}: reading the answer: {e}"))?;
    parse_answer(&raw).map_err(|e| format!("{method} {path} on :{port}: {e}"))
}

pub fn get(port: u16, path: &str) -> Result<Answer> {
    request(port, "GET", path, "", &[])
}

/// POSTs a JSON text.
pub fn post_json(port: u16, path: &str, json: &str) -> Result<Answer> {
    request(port, "POST", path, "application/json", json.as_bytes())
}

/// Parses a complete HTTP/1.1 response: status line, headers, then the body framed by
/// `Transfer-Encoding: chunked`, else `Content-Length`, else the rest of the stream.
pub fn parse_answer(raw: &[u8]) -> Result<Answer> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("the answer has no end of headers")?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| "the answer's headers are not UTF-8")?;
    let rest = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|s| s.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP status line: {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let find = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let body = if find("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        dechunk(rest)?
    } else if let Some(length) = find("content-length") {
        let length: usize = length.parse().map_err(|_| format!("bad Content-Length {length:?}"))?;
        if rest.len() < length {
            return Err(format!("the answer ended after {} of its {length} bytes", rest.len()));
        }
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Answer { status, headers, body })
}

/// Decodes a chunked body (chunk extensions and trailers ignored).
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").ok_or("a chunk size line has no end")?;
        let line = std::str::from_utf8(&rest[..line_end]).map_err(|_| "a chunk size is not text")?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| format!("bad chunk size {size:?}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if rest.len() < size + 2 {
            return Err(format!("a chunk of {size} bytes was cut short"));
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_content_length_body_and_stops_at_its_end() {
        let answer = parse_answer(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}trailing",
        )
        .unwrap();
        assert_eq!(answer.status, 200);
        assert!(answer.headers.contains(&("content-type".into(), "application/json".into())), "{:?}", answer.headers);
        assert_eq!(answer.body, b"{\"a\":1}");
        assert_eq!(answer.json().unwrap()["a"], 1);
    }

    #[test]
    fn decodes_a_chunked_body_with_binary_content() {
        let mut raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\n\x00\r\n\r\n".to_vec();
        raw.extend_from_slice(b"a\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n");
        let answer = parse_answer(&raw).unwrap();
        assert_eq!(answer.body, b"\x00\r\n0123456789");
    }

    #[test]
    fn refuses_truncated_or_malformed_answers() {
        assert!(
            parse_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort").unwrap_err().contains("5 of its 10")
        );
        assert!(
            parse_answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")
                .unwrap_err()
                .contains("cut short")
        );
        assert!(parse_answer(b"SSH-2.0-OpenSSH\r\n\r\n").unwrap_err().contains("status line"));
        assert!(parse_answer(b"HTTP/1.1 200 OK\r\nContent-Len").unwrap_err().contains("end of headers"));
    }

    #[test]
    fn without_framing_the_body_is_the_rest_of_the_stream() {
        let answer = parse_answer(b"HTTP/1.0 404 Not Found\r\n\r\nnope").unwrap();
        assert_eq!((answer.status, answer.text().as_str()), (404, "nope"));
    }

    #[test]
    fn talks_to_a_real_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 1024];
            // Read until the 4-byte body of the POST has arrived.
            while !seen.ends_with(b"ping") {
                let n = stream.read(&mut buf).unwrap();
                assert!(n > 0, "client closed early");
                seen.extend_from_slice(&buf[..n]);
            }
            stream
                .write_all(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npong\r\n0\r\n\r\n")
                .unwrap();
            String::from_utf8(seen).unwrap()
        });
        let answer = request(port, "POST", "/api/v0/x?y=1", "text/plain", b"ping").unwrap();
        let seen = server.join().unwrap();
        assert!(seen.starts_with("POST /api/v0/x?y=1 HTTP/1.1\r\n"), "{seen}");
        assert!(seen.contains("Content-Length: 4\r\n") && seen.contains("Content-Type: text/plain\r\n"), "{seen}");
        assert_eq!((answer.status, answer.text().as_str()), (201, "pong"));
    }
}
