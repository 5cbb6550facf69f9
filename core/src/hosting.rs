//! Where the app is served from, and what that means for its storage. Served from a path gateway
//! (`https://<gateway>/ipfs/<cid>/`), Assay shares its origin — localStorage, IndexedDB, wallet
//! permissions — with every other site on that gateway, any of which can read or overwrite what
//! it keeps. A subdomain gateway (`https://<cid>.ipfs.<gateway>/`) or an own domain gives it an
//! origin of its own.

use crate::ipfs::Cid;

/// How the page is hosted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hosting {
    /// An origin of its own: a domain, a subdomain gateway, the dev server.
    OwnOrigin,
    /// A path gateway: the origin is shared with every other site on it.
    SharedOrigin {
        /// The gateway's origin (`https://ipfs.io`).
        gateway: String,
        /// The same page at a subdomain gateway, when one can be named.
        own_origin_url: Option<String>,
    },
}

impl Hosting {
    /// The hosting of a page at `origin` (`scheme://host[:port]`) and `path` (`location.pathname`).
    pub fn of(origin: &str, path: &str) -> Self {
        let mut parts = path.trim_start_matches('/').splitn(3, '/');
        let (Some(namespace @ ("ipfs" | "ipns")), Some(name)) = (parts.next(), parts.next()) else {
            return Hosting::OwnOrigin;
        };
        if name.is_empty() {
            return Hosting::OwnOrigin;
        }
        let rest = parts.next().unwrap_or("");
        Hosting::SharedOrigin {
            gateway: origin.to_owned(),
            own_origin_url: subdomain_url(origin, namespace, name, rest),
        }
    }

    pub fn is_shared(&self) -> bool {
        matches!(self, Hosting::SharedOrigin { .. })
    }
}

/// The subdomain-gateway URL of `/<namespace>/<name>/<rest>` on the gateway at `origin`: the CID
/// as CIDv1 in base32 (a DNS label is case-insensitive), a DNSLink name with its dots as dashes;
/// `127.0.0.1` becomes `localhost` (browsers resolve `*.localhost` to it), `ipfs.io` becomes
/// `dweb.link` (Protocol Labs' subdomain gateway).
pub fn subdomain_url(origin: &str, namespace: &str, name: &str, rest: &str) -> Option<String> {
    let (scheme, host) = origin.split_once("://")?;
    let (hostname, port) = match host.rsplit_once(':') {
        Some((hostname, port)) if port.chars().all(|c| c.is_ascii_digit()) => (hostname, Some(port)),
        _ => (host, None),
    };
    let hostname = match hostname {
        "127.0.0.1" | "[::1]" => "localhost",
        "ipfs.io" | "gateway.ipfs.io" => "dweb.link",
        other if other.parse::<std::net::Ipv4Addr>().is_ok() || other.starts_with('[') => return None,
        other => other,
    };
    let label = match namespace {
        "ipfs" => name.parse::<Cid>().ok()?.to_v1().to_string(),
        _ => name.replace('-', "--").replace('.', "-"),
    };
    if label.len() > 63 {
        return None;
    }
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Some(format!("{scheme}://{label}.{namespace}.{hostname}{port}/{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    const V0: &str = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

    #[test]
    fn own_origins() {
        assert_eq!(Hosting::of("https://assay.example", "/"), Hosting::OwnOrigin);
        assert_eq!(Hosting::of("http://127.0.0.1:8080", "/index.html"), Hosting::OwnOrigin);
        assert_eq!(Hosting::of(&format!("https://{V1}.ipfs.dweb.link"), "/"), Hosting::OwnOrigin);
        assert_eq!(Hosting::of("https://ipfs.io", "/ipfs/"), Hosting::OwnOrigin, "no name");
    }

    #[test]
    fn a_path_gateway_is_shared_and_names_the_subdomain_address() {
        let hosting = Hosting::of("http://127.0.0.1:5001", &format!("/ipfs/{V1}/"));
        assert_eq!(
            hosting,
            Hosting::SharedOrigin {
                gateway: "http://127.0.0.1:5001".into(),
                own_origin_url: Some(format!("http://{V1}.ipfs.localhost:5001/")),
            }
        );
        assert!(hosting.is_shared());
    }

    #[test]
    fn a_cidv0_becomes_base32_cidv1_in_the_subdomain() {
        let Hosting::SharedOrigin { own_origin_url, .. } =
            Hosting::of("https://ipfs.io", &format!("/ipfs/{V0}/index.html"))
        else {
            panic!("shared")
        };
        // The same multihash as a dag-pb CIDv1, as multiformats (JS) `CID.parse(v0).toV1()` prints it.
        assert_eq!(
            own_origin_url.unwrap(),
            "https://bafybeie5nqv6kd3qnfjupgvz34woh3oksc3iau6abmyajn7qvtf6d2ho34.ipfs.dweb.link/index.html"
        );
    }

    #[test]
    fn dnslink_names_are_inlined() {
        assert_eq!(
            subdomain_url("https://gw.example", "ipns", "docs.assay-models.org", "").unwrap(),
            "https://docs-assay--models-org.ipns.gw.example/"
        );
    }

    #[test]
    fn no_subdomain_for_a_raw_ip_or_a_bad_cid() {
        assert_eq!(subdomain_url("http://10.0.0.2:8080", "ipfs", V1, ""), None);
        assert_eq!(subdomain_url("https://ipfs.io", "ipfs", "not-a-cid", ""), None);
        assert!(Hosting::of("https://ipfs.io", "/ipfs/not-a-cid/").is_shared(), "still shared");
    }
}
