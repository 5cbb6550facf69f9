//! The app's routes and their hash-URL form.
//!
//! Assay is served from IPFS path gateways (`https://gw/ipfs/<cid>/`), which have no
//! single-page-app fallback: a reload of `/ipfs/<cid>/library` would 404. So the route lives in
//! the URL fragment — `…/ipfs/<cid>/#/library` — which the browser never sends to the server,
//! and every reload fetches the same `index.html`. This module is the pure half: parsing a
//! fragment into a [`Route`] plus query, and printing one back.

use std::collections::BTreeMap;
use std::fmt;

use crate::eth::Address;

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The catalogue: search, filter, sort.
    Browse,
    /// The researcher's listing wizard.
    ListModel,
    /// The connected account's licences.
    Library,
    /// The connected account's models, sales and balance.
    Dashboard,
    /// One model, by token id.
    Model { id: u64 },
    /// A creator's public record.
    Creator { address: Address },
    /// Moderation: open and closed cases, their evidence and deadlines, the council's rulings.
    Moderation,
    /// How Assay works, for someone who has never used a dApp; the glossary.
    About,
    /// The IPFS working page (upload, verified fetch, benchmark); linked from nowhere.
    BenchIpfs,
    /// The inference working page (trial of the seeded models, validation, benchmark); linked from nowhere.
    BenchInference,
    /// The encryption benchmark (encrypt and decrypt a model-sized file in the page); linked from nowhere.
    BenchEncryption,
    /// The evaluation throughput benchmark (Assay's Reproduce path against onnxruntime-web); linked from nowhere.
    BenchEvaluation,
    /// Anything else; keeps the path so the page can say what was not found.
    NotFound { path: String },
}

/// The items of the main navigation, in order, with their labels.
pub const NAVIGATION: [(Route, &str); 6] = [
    (Route::Browse, "Browse"),
    (Route::ListModel, "List a model"),
    (Route::Library, "Library"),
    (Route::Dashboard, "Dashboard"),
    (Route::Moderation, "Moderation"),
    (Route::About, "How it works"),
];

impl Route {
    /// The path part of the fragment, e.g. `/model/7`.
    pub fn path(&self) -> String {
        match self {
            Route::Browse => "/".to_owned(),
            Route::ListModel => "/list".to_owned(),
            Route::Library => "/library".to_owned(),
            Route::Dashboard => "/dashboard".to_owned(),
            Route::Moderation => "/moderation".to_owned(),
            Route::About => "/about".to_owned(),
            Route::Model { id } => format!("/model/{id}"),
            Route::Creator { address } => format!("/creator/{}", address.to_checksum(None)),
            Route::BenchIpfs => "/bench/ipfs".to_owned(),
            Route::BenchInference => "/bench/inference".to_owned(),
            Route::BenchEncryption => "/bench/encryption".to_owned(),
            Route::BenchEvaluation => "/bench/evaluation".to_owned(),
            Route::NotFound { path } => path.clone(),
        }
    }

    /// The `href` for a link to this route: relative, so it works under any sub-path.
    pub fn href(&self) -> String {
        format!("#{}", self.path())
    }

    /// Reads a path (`/model/7`, `/creator/0x…`); trailing slashes are ignored.
    pub fn from_path(path: &str) -> Route {
        let trimmed = path.trim_end_matches('/');
        let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
        match segments.as_slice() {
            [] | [""] => Route::Browse,
            ["list"] => Route::ListModel,
            ["library"] => Route::Library,
            ["dashboard"] => Route::Dashboard,
            ["moderation"] => Route::Moderation,
            ["about"] => Route::About,
            ["bench", "ipfs"] => Route::BenchIpfs,
            ["bench", "inference"] => Route::BenchInference,
            ["bench", "encryption"] => Route::BenchEncryption,
            ["bench", "evaluation"] => Route::BenchEvaluation,
            ["model", id] => match id.parse() {
                Ok(id) => Route::Model { id },
                Err(_) => Route::NotFound { path: path.to_owned() },
            },
            ["creator", address] => match address.parse() {
                Ok(address) => Route::Creator { address },
                Err(_) => Route::NotFound { path: path.to_owned() },
            },
            _ => Route::NotFound { path: path.to_owned() },
        }
    }

    /// Whether this route is the nav item `item` or lives under it (a model page belongs to
    /// Browse), for highlighting the current navigation entry.
    pub fn is_within(&self, item: &Route) -> bool {
        match (self, item) {
            (Route::Model { .. } | Route::Creator { .. }, Route::Browse) => true,
            _ => self == item,
        }
    }
}

/// A route with its query, as held in the URL fragment: `#/?q=resnet&task=image-classification`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub query: BTreeMap<String, String>,
}

impl Location {
    /// A location with no query.
    pub fn new(route: Route) -> Self {
        Self { route, query: BTreeMap::new() }
    }

    /// Reads `location.hash` (with or without the leading `#`). An empty fragment is Browse.
    pub fn from_hash(hash: &str) -> Self {
        let fragment = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = fragment.split_once('?').unwrap_or((fragment, ""));
        let path = if path.is_empty() { "/" } else { path };
        let route = if path.starts_with('/') {
            Route::from_path(path)
        } else {
            // `#library` is not one of ours: keep it as not-found rather than guessing.
            Route::NotFound { path: path.to_owned() }
        };
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(key), percent_decode(value))
            })
            .collect();
        Self { route, query }
    }

    /// The fragment for this location, with the leading `#`; query keys in sorted order.
    pub fn to_hash(&self) -> String {
        let mut hash = self.route.href();
        let mut separator = '?';
        for (key, value) in &self.query {
            hash.push(separator);
            hash.push_str(&percent_encode(key));
            hash.push('=');
            hash.push_str(&percent_encode(value));
            separator = '&';
        }
        hash
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hash())
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as a space); malformed escapes are kept as they are, and
/// invalid UTF-8 is replaced rather than refused, so no URL can break the page.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_root_fragments_are_browse() {
        for hash in ["", "#", "#/", "/"] {
            assert_eq!(Location::from_hash(hash).route, Route::Browse, "{hash:?}");
        }
    }

    #[test]
    fn every_route_round_trips_through_its_href() {
        let address: Address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8".parse().unwrap();
        for route in [
            Route::Browse,
            Route::ListModel,
            Route::Library,
            Route::Dashboard,
            Route::Model { id: 42 },
            Route::Creator { address },
            Route::Moderation,
            Route::About,
            Route::BenchIpfs,
            Route::BenchInference,
            Route::BenchEncryption,
            Route::BenchEvaluation,
        ] {
            assert_eq!(Location::from_hash(&route.href()).route, route);
        }
    }

    #[test]
    fn hrefs_are_fragments_so_they_work_under_any_sub_path() {
        for (route, _) in NAVIGATION {
            assert!(route.href().starts_with("#/"), "{route:?}");
        }
        assert_eq!(Route::Library.href(), "#/library");
    }

    #[test]
    fn the_ipfs_bench_page_has_a_route_but_no_navigation_entry() {
        assert_eq!(Location::from_hash("#/bench/ipfs?cid=x").route, Route::BenchIpfs);
        assert_eq!(Route::BenchIpfs.href(), "#/bench/ipfs");
        assert!(NAVIGATION.iter().all(|(route, _)| *route != Route::BenchIpfs));
        assert_eq!(Location::from_hash("#/bench").route, Route::NotFound { path: "/bench".into() });
        assert_eq!(Location::from_hash("#/bench/inference?model=digits").route, Route::BenchInference);
        assert!(NAVIGATION.iter().all(|(route, _)| *route != Route::BenchInference));
        assert_eq!(Location::from_hash("#/bench/evaluation?model=digits").route, Route::BenchEvaluation);
        assert!(NAVIGATION.iter().all(|(route, _)| *route != Route::BenchEvaluation));
    }

    #[test]
    fn trailing_slash_is_ignored() {
        assert_eq!(Location::from_hash("#/library/").route, Route::Library);
    }

    #[test]
    fn unknown_and_malformed_paths_are_not_found_with_the_path_kept() {
        for (hash, path) in [
            ("#/nope", "/nope"),
            ("#/model/abc", "/model/abc"),
            ("#/model/-1", "/model/-1"),
            ("#/creator/0x12", "/creator/0x12"),
            ("#/library/extra", "/library/extra"),
            ("#library", "library"),
        ] {
            assert_eq!(Location::from_hash(hash).route, Route::NotFound { path: path.into() });
        }
    }

    #[test]
    fn query_round_trips_with_escapes() {
        let location = Location::from_hash("#/?q=image%20net&task=image-classification&min=0.5");
        assert_eq!(location.route, Route::Browse);
        assert_eq!(location.query["q"], "image net");
        assert_eq!(location.query["task"], "image-classification");
        let again = Location::from_hash(&location.to_hash());
        assert_eq!(again, location);
        assert_eq!(location.to_hash(), "#/?min=0.5&q=image%20net&task=image-classification");
    }

    #[test]
    fn odd_query_text_never_panics() {
        let location = Location::from_hash("#/?q=%&x=%zz&y=%e2%82&=v&flag&z=a+b&w=%");
        assert_eq!(location.query["q"], "%");
        assert_eq!(location.query["x"], "%zz");
        assert_eq!(location.query["y"], "\u{FFFD}");
        assert_eq!(location.query["flag"], "");
        assert_eq!(location.query["z"], "a b");
        assert_eq!(location.query["w"], "%");
        assert_eq!(location.query[""], "v");
    }

    #[test]
    fn unicode_survives_encoding() {
        let mut location = Location::new(Route::Browse);
        location.query.insert("q".into(), "modèle 画像 & more".into());
        assert_eq!(Location::from_hash(&location.to_hash()), location);
    }

    #[test]
    fn model_and_creator_pages_highlight_browse() {
        assert!(Route::Model { id: 1 }.is_within(&Route::Browse));
        assert!(Route::Library.is_within(&Route::Library));
        assert!(!Route::Library.is_within(&Route::Browse));
    }
}
