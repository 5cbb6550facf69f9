//! Copies the contracts' interface files into `OUT_DIR` with their `/* … */` comments removed, for
//! `sol!` to read, and the `sol!` invocations that `src/contracts/bindings.rs` includes.
//!
//! `sol!` tokenizes Solidity with Rust's lexer, where block comments nest: the interfaces' section
//! banners (`/*////…////*/`) open a nested comment at `/*/` and never close. Solidity block comments
//! do not nest and carry no meaning, so dropping them changes nothing else; `///` NatSpec stays and
//! becomes the bindings' documentation. The interface files remain the only source of ABI.

use std::path::{Path, PathBuf};

const INTERFACES: [&str; 9] = [
    "IAssayMarket.sol",
    "IAssayModels.sol",
    "IAssayERC721.sol",
    "IAssayEvaluations.sol",
    "IAssayModeration.sol",
    "IAssayCouncilArbitrator.sol",
    "IArbitrator.sol",
    "IArbitrable.sol",
    "IEvidence.sol",
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let dir = manifest.join("../contracts/src/interfaces");
    for name in INTERFACES {
        let source = dir.join(name);
        println!("cargo:rerun-if-changed={}", source.display());
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("can't read the contract interface {}: {e}", source.display()));
        write(&out.join(name), &strip_block_comments(&text));
    }
    // `sol!` takes a string literal path (a `concat!(env!("OUT_DIR"), …)` argument is read as a
    // contract name), so the invocations themselves are generated with absolute paths.
    let mut bindings = String::new();
    for name in INTERFACES {
        let path = out.join(name);
        bindings.push_str(&format!(
            "alloy_sol_types::sol!(\n    #[sol(all_derives)]\n    {:?}\n);\n\n",
            path.to_str().expect("OUT_DIR is valid UTF-8")
        ));
    }
    write(&out.join("bindings.rs"), &bindings);
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("can't write {}: {e}", path.display()));
}

/// Removes Solidity `/* … */` comments, leaving strings and `//` comments untouched.
fn strip_block_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = '\0';
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                    }
                    if previous == '*' && d == '/' {
                        break;
                    }
                    previous = d;
                }
            }
            _ => out.push(c),
        }
    }
    out
}
