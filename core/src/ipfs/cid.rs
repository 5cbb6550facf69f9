//! Content identifiers: parsing and printing CIDv1 (multibase base32 `b…`, base58btc `z…`) and
//! CIDv0 (`Qm…`), with the multicodec and multihash they carry. Small and self-contained (no
//! `cid`/`multihash` crates): varints, base32 and base58 are a few dozen lines each.

use std::fmt;
use std::str::FromStr;

/// Multicodec: raw bytes (UnixFS raw leaves).
pub const RAW: u64 = 0x55;
/// Multicodec: dag-pb (UnixFS files and directories).
pub const DAG_PB: u64 = 0x70;
/// Multicodec: dag-cbor.
pub const DAG_CBOR: u64 = 0x71;
/// Multihash: sha2-256.
pub const SHA2_256: u64 = 0x12;
/// Multihash: identity.
pub const IDENTITY: u64 = 0x00;

/// A multihash: hash function code and digest.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Multihash {
    pub code: u64,
    pub digest: Vec<u8>,
}

impl Multihash {
    /// The sha2-256 multihash of `bytes`.
    pub fn sha2_256(bytes: &[u8]) -> Self {
        use sha2::Digest;
        Self { code: SHA2_256, digest: sha2::Sha256::digest(bytes).to_vec() }
    }

    /// Binary form: varint code, varint length, digest.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.digest.len() + 4);
        write_varint(&mut out, self.code);
        write_varint(&mut out, self.digest.len() as u64);
        out.extend_from_slice(&self.digest);
        out
    }

    /// Whether `bytes` hash to this multihash (sha2-256 and identity only).
    pub fn verifies(&self, bytes: &[u8]) -> Option<bool> {
        match self.code {
            SHA2_256 => Some(Multihash::sha2_256(bytes) == *self),
            IDENTITY => Some(self.digest == bytes),
            _ => None,
        }
    }
}

/// A content identifier.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cid {
    /// 0 or 1.
    pub version: u8,
    /// Multicodec of the block (always dag-pb for v0).
    pub codec: u64,
    pub hash: Multihash,
}

/// Why a text is not a CID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CidError {
    #[error("it is empty")]
    Empty,
    #[error("its multibase prefix {0:?} is not supported (use base32 `b…`, base58btc `z…` or a CIDv0 `Qm…`)")]
    UnsupportedBase(char),
    #[error("it contains a character that is not valid {0}")]
    BadCharacter(&'static str),
    #[error("it is cut short")]
    Truncated,
    #[error("it has {0} bytes left over after the hash")]
    TrailingBytes(usize),
    #[error("its version {0} is not 0 or 1")]
    BadVersion(u64),
    #[error("a CIDv0 must be a 34-byte sha2-256 multihash")]
    BadV0,
}

impl Cid {
    /// A CIDv1.
    pub fn v1(codec: u64, hash: Multihash) -> Self {
        Self { version: 1, codec, hash }
    }

    /// Binary form (v0: the bare multihash).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.version == 0 {
            return self.hash.to_bytes();
        }
        let mut out = Vec::with_capacity(40);
        write_varint(&mut out, 1);
        write_varint(&mut out, self.codec);
        out.extend_from_slice(&self.hash.to_bytes());
        out
    }

    /// Reads the binary form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CidError> {
        if bytes.len() == 34 && bytes[0] == 0x12 && bytes[1] == 0x20 {
            return Ok(Self {
                version: 0,
                codec: DAG_PB,
                hash: Multihash { code: SHA2_256, digest: bytes[2..].to_vec() },
            });
        }
        let mut rest = bytes;
        let version = read_varint(&mut rest)?;
        if version != 1 {
            return Err(CidError::BadVersion(version));
        }
        let codec = read_varint(&mut rest)?;
        let code = read_varint(&mut rest)?;
        let len = read_varint(&mut rest)? as usize;
        if rest.len() < len {
            return Err(CidError::Truncated);
        }
        if rest.len() > len {
            return Err(CidError::TrailingBytes(rest.len() - len));
        }
        Ok(Self::v1(codec, Multihash { code, digest: rest.to_vec() }))
    }

    /// The same content as a CIDv1 (a v0 becomes dag-pb v1; a v1 is unchanged).
    pub fn to_v1(&self) -> Self {
        Self::v1(self.codec, self.hash.clone())
    }
}

impl fmt::Display for Cid {
    /// CIDv1 in lower-case base32 (`bafy…`, `bafk…`), as gateways and Kubo print them; CIDv0 in base58.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.version == 0 {
            f.write_str(&base58_encode(&self.to_bytes()))
        } else {
            write!(f, "b{}", base32_encode(&self.to_bytes()))
        }
    }
}

impl FromStr for Cid {
    type Err = CidError;

    fn from_str(text: &str) -> Result<Self, CidError> {
        let text = text.trim();
        let first = text.chars().next().ok_or(CidError::Empty)?;
        if text.len() == 46 && text.starts_with("Qm") {
            let bytes = base58_decode(text)?;
            let cid = Cid::from_bytes(&bytes)?;
            return if cid.version == 0 { Ok(cid) } else { Err(CidError::BadV0) };
        }
        let bytes = match first {
            'b' => base32_decode(&text[1..])?,
            'B' => base32_decode(&text[1..].to_ascii_lowercase())?,
            'z' => base58_decode(&text[1..])?,
            other => return Err(CidError::UnsupportedBase(other)),
        };
        let cid = Cid::from_bytes(&bytes)?;
        if cid.version == 0 {
            // The v0 binary form inside a multibase string is not a valid CID.
            return Err(CidError::BadVersion(0x12));
        }
        Ok(cid)
    }
}

impl serde::Serialize for Cid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Cid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|e| serde::de::Error::custom(format!("{text:?} is not a CID: {e}")))
    }
}

/// Appends an unsigned LEB128 varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_varint(rest: &mut &[u8]) -> Result<u64, CidError> {
    let mut value = 0u64;
    for (i, &byte) in rest.iter().enumerate().take(9) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            *rest = &rest[i + 1..];
            return Ok(value);
        }
    }
    Err(CidError::Truncated)
}

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// RFC 4648 base32, lower case, no padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &str) -> Result<Vec<u8>, CidError> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = BASE32.iter().position(|&b| b == c).ok_or(CidError::BadCharacter("base32"))? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Ok(out)
}

fn base58_encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let mut digits: Vec<u8> = Vec::new();
    for &byte in &bytes[zeros..] {
        let mut carry = u32::from(byte);
        for digit in digits.iter_mut() {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|&d| BASE58[d as usize] as char));
    out
}

fn base58_decode(text: &str) -> Result<Vec<u8>, CidError> {
    let zeros = text.bytes().take_while(|&b| b == b'1').count();
    let mut bytes: Vec<u8> = Vec::new();
    for c in text.bytes().skip(zeros) {
        let mut carry = BASE58.iter().position(|&b| b == c).ok_or(CidError::BadCharacter("base58"))? as u32;
        for byte in bytes.iter_mut() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO: &str = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

    #[test]
    fn parses_and_prints_a_raw_cidv1() {
        let cid: Cid = HELLO.parse().unwrap();
        assert_eq!(cid.version, 1);
        assert_eq!(cid.codec, RAW);
        assert_eq!(cid.hash, Multihash::sha2_256(b"hello world"));
        assert_eq!(cid.to_string(), HELLO);
    }

    #[test]
    fn cidv0_round_trips_and_converts_to_v1() {
        // The well-known empty UnixFS directory.
        let v0: Cid = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn".parse().unwrap();
        assert_eq!(v0.version, 0);
        assert_eq!(v0.to_string(), "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
        assert_eq!(v0.to_v1().to_string(), "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354");
    }

    #[test]
    fn base58btc_and_upper_case_base32_read_the_same_cid() {
        let cid: Cid = HELLO.parse().unwrap();
        let z = format!("z{}", base58_encode(&cid.to_bytes()));
        assert_eq!(z.parse::<Cid>().unwrap(), cid);
        assert_eq!(HELLO.to_ascii_uppercase().parse::<Cid>().unwrap(), cid);
    }

    #[test]
    fn bad_cids_say_why() {
        for (text, expected) in [
            ("", CidError::Empty),
            ("xyz", CidError::UnsupportedBase('x')),
            ("bafk!", CidError::BadCharacter("base32")),
            ("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n", CidError::Truncated),
            ("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5eaa", CidError::TrailingBytes(1)),
        ] {
            assert_eq!(text.parse::<Cid>().unwrap_err(), expected, "{text:?}");
        }
        assert!("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3N0".parse::<Cid>().is_err(), "0 is not base58");
    }

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 300, 0x55, 0x70, u32::MAX as u64, 1 << 62] {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            let mut rest = out.as_slice();
            assert_eq!(read_varint(&mut rest).unwrap(), value);
            assert!(rest.is_empty());
        }
    }

    #[test]
    fn multihash_verification() {
        let cid: Cid = HELLO.parse().unwrap();
        assert_eq!(cid.hash.verifies(b"hello world"), Some(true));
        assert_eq!(cid.hash.verifies(b"hello world!"), Some(false));
        assert_eq!(Multihash { code: 0x1b, digest: vec![] }.verifies(b""), None);
    }

    #[test]
    fn serde_uses_the_text_form() {
        let cid: Cid = HELLO.parse().unwrap();
        assert_eq!(serde_json::to_string(&cid).unwrap(), format!("\"{HELLO}\""));
        assert_eq!(serde_json::from_str::<Cid>(&format!("\"{HELLO}\"")).unwrap(), cid);
        assert!(serde_json::from_str::<Cid>("\"nope\"").unwrap_err().to_string().contains("not a CID"));
    }
}
