//! The Content-Security-Policy written into a published app's `index.html`, as defence in depth:
//! scripts and wasm only from the app's own files (the one inline script Trunk writes is allowed by
//! its hash), connections only to the endpoints its `config.json` names (RPCs, gateways, upload
//! API, pinning service, indexer), no plugins, frames, forms or `<base>`.
//!
//! A `<meta>` policy cannot set `frame-ancestors` or reporting; a server or gateway that can send
//! headers should send the same policy as a header, adding `frame-ancestors 'none'`.

use assay_core::config::RuntimeConfig;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for an app configured by `config` whose `index.html` has these inline scripts.
pub fn policy(config: &RuntimeConfig, inline_scripts: &[&str]) -> String {
    let mut connect = vec!["'self'".to_owned()];
    let mut add = |url: &str| {
        if let Some(origin) = origin_of(url)
            && !connect.contains(&origin)
        {
            connect.push(origin);
        }
    };
    for url in config.rpc_endpoints() {
        add(&url);
    }
    for url in &config.ipfs.gateways {
        add(url);
    }
    for url in [&config.ipfs.upload_api, &config.ipfs.pinning_service, &config.indexer_url].into_iter().flatten() {
        add(url);
    }
    let gateways: Vec<String> = config.ipfs.gateways.iter().filter_map(|g| origin_of(g)).collect();
    let hashes: Vec<String> = inline_scripts.iter().map(|s| format!("'sha256-{}'", sha256_base64(s))).collect();
    let script = ["'self'", "'wasm-unsafe-eval'"].into_iter().map(str::to_owned).chain(hashes).collect::<Vec<_>>();
    [
        "default-src 'none'".to_owned(),
        format!("script-src {}", script.join(" ")),
        "worker-src 'self'".to_owned(),
        "style-src 'self' 'unsafe-inline'".to_owned(),
        format!("img-src 'self' data: blob: {}", gateways.join(" ")).trim_end().to_owned(),
        "font-src 'self'".to_owned(),
        format!("connect-src {}", connect.join(" ")),
        "manifest-src 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'none'".to_owned(),
    ]
    .join("; ")
}

/// `index.html` with the policy in a `<meta http-equiv>` right after `<meta charset>` (or at the
/// top of `<head>`), replacing one written before.
pub fn with_policy(index_html: &str, config: &RuntimeConfig) -> Result<String, String> {
    let scripts = inline_scripts(index_html);
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\" />",
        policy(config, &scripts).replace('"', "&quot;")
    );
    let html = remove_policy(index_html);
    let at = match html.find("<meta charset") {
        Some(start) => start + html[start..].find('>').ok_or("index.html: unterminated <meta charset>")? + 1,
        None => html.find("<head>").map(|h| h + "<head>".len()).ok_or("index.html has no <head>")?,
    };
    Ok(format!("{}\n    {meta}{}", &html[..at], &html[at..]))
}

/// Writes the policy into `site/index.html` (a copy of `dist/` about to be published with `config`).
pub fn write_into(site: &std::path::Path, config: &RuntimeConfig) -> Result<(), String> {
    let index = site.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, with_policy(&html, config)?).map_err(|e| format!("{}: {e}", index.display()))
}

fn remove_policy(html: &str) -> String {
    let marker = "<meta http-equiv=\"Content-Security-Policy\"";
    match html.find(marker) {
        Some(start) => {
            let end = start + html[start..].find('>').map_or(html.len() - start, |e| e + 1);
            let before = html[..start].trim_end_matches([' ', '\n']);
            format!("{before}{}", &html[end..])
        }
        None => html.to_owned(),
    }
}

/// The contents of the `<script>` elements without a `src`, exactly as the browser hashes them.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after = &rest[open..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let body_start = open + tag_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else { break };
        if !tag.contains(" src=") {
            found.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close + "</script>".len()..];
    }
    found
}

/// `scheme://host[:port]` of an http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<!doctype html><html><head>\n    <meta charset=\"utf-8\" />\n    <title>Assay</title>\n<script type=\"module\">\nimport init from './assay-app.js';\nawait init();\n</script>\n<script src=\"./x.js\"></script></head><body></body></html>";

    #[test]
    fn inline_scripts_are_found_exactly_and_external_ones_skipped() {
        assert_eq!(inline_scripts(TRUNK), ["\nimport init from './assay-app.js';\nawait init();\n"]);
    }

    #[test]
    fn the_hash_is_the_one_browsers_compute() {
        // CSP3's example: 'sha256-' of `alert('Hello, world.');` is qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=.
        assert_eq!(sha256_base64("alert('Hello, world.');"), "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=");
    }

    #[test]
    fn connections_go_only_to_configured_endpoints() {
        let mut config = RuntimeConfig::from_json(
            r#"{"network": "base-sepolia", "rpcUrl": "https://key:x@rpc.example:8545/v2/KEY",
                "ipfs": {"gateways": ["https://gw.example/"], "uploadApi": null, "pinningService": "https://pins.example/api"},
                "indexerUrl": "http://127.0.0.1:42069"}"#,
        )
        .unwrap();
        let text = policy(&config, &[]);
        assert!(
            text.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self';"),
            "{text}"
        );
        assert!(text.contains(
            "connect-src 'self' https://rpc.example:8545 https://sepolia.base.org https://base-sepolia-rpc.publicnode.com \
             https://gw.example https://pins.example http://127.0.0.1:42069;"
        ), "{text}");
        assert!(text.contains("img-src 'self' data: blob: https://gw.example;"), "{text}");
        assert!(!text.contains("KEY"), "no credentials or paths: {text}");
        config.ipfs.upload_api = Some("https://gw.example/api/v0".into());
        assert_eq!(policy(&config, &[]).matches("https://gw.example").count(), 2, "connect and img, once each");
    }

    #[test]
    fn the_meta_goes_after_the_charset_and_replaces_an_earlier_one() {
        let config = RuntimeConfig::default();
        let once = with_policy(TRUNK, &config).unwrap();
        let meta_at = once.find("Content-Security-Policy").unwrap();
        assert!(once.find("<meta charset").unwrap() < meta_at && meta_at < once.find("<title>").unwrap());
        assert!(
            once.contains(&format!(
                "'sha256-{}'",
                sha256_base64("\nimport init from './assay-app.js';\nawait init();\n")
            ))
        );
        assert!(once.contains("connect-src 'self' http://127.0.0.1:8545 http://127.0.0.1:5001;"), "{once}");
        let twice = with_policy(&once, &config).unwrap();
        assert_eq!(twice, once, "idempotent");
        assert_eq!(twice.matches("Content-Security-Policy").count(), 1);
    }

    #[test]
    fn origins_of_urls() {
        assert_eq!(origin_of("https://a.example/x?y").as_deref(), Some("https://a.example"));
        assert_eq!(origin_of("http://127.0.0.1:5001/api/v0").as_deref(), Some("http://127.0.0.1:5001"));
        assert_eq!(origin_of("wss://a.example"), None);
        assert_eq!(origin_of("https://"), None);
    }
}
