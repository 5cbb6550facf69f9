//! The real `cast` (Foundry), installed by `npm ci` in `contracts/` (`cargo xtask install`).

use std::path::PathBuf;
use std::process::Command;

fn cast() -> PathBuf {
    if let Some(path) = std::env::var_os("ASSAY_CAST") {
        return PathBuf::from(path);
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../contracts/node_modules/@foundry-rs/cast-linux-amd64/bin/cast");
    assert!(
        path.is_file(),
        "Foundry's cast is not installed at {}: run `cargo xtask install` (it runs `npm ci` in contracts/), \
         or set ASSAY_CAST to a cast binary",
        path.display()
    );
    path
}

/// `cast calldata <signature> <args…>` as bytes.
pub fn calldata(signature: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(cast())
        .arg("calldata")
        .arg(signature)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("can't run cast: {e}"));
    assert!(
        output.status.success(),
        "cast calldata {signature} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("cast prints hex");
    let digits = text.trim().strip_prefix("0x").expect("cast prints 0x-prefixed hex");
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex")).collect()
}
