//! A `.zip` of an evaluation set read entry by entry: its central directory first, every entry's
//! name and declared size checked (no path leaving the folder, the sizes together within
//! [`BundleLimits`]) before anything is inflated; then each entry, stored or deflated, inflated to
//! at most its declared size and checked against its CRC-32. One top-level folder around
//! everything is taken off; macOS's `__MACOSX/` and `.DS_Store` entries are skipped. Zip64,
//! encrypted entries, other compression methods and archives spanning disks are refused in words.

use std::collections::BTreeMap;

use super::bundle::BundleLimits;

/// Room for a manifest or a CSV's text beside the arrays' bytes.
const TEXT_ALLOWANCE: u64 = 1 << 20;
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const DIRECTORY_ENTRY: u32 = 0x0201_4b50;
const LOCAL_HEADER: u32 = 0x0403_4b50;

/// Why a `.zip` can't be read as an evaluation set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    #[error("the .zip file is not a zip archive, or it is cut short")]
    NotZip,
    #[error("the .zip file is damaged: {0}")]
    Damaged(String),
    #[error("the .zip file is a Zip64 archive; zip the evaluation set without Zip64 (it is under 4 GB)")]
    Zip64,
    #[error("the .zip file spans several disks; zip the evaluation set as one file")]
    Spanned,
    #[error("the entry {name} of the .zip file is encrypted; zip the evaluation set without a password")]
    Encrypted { name: String },
    #[error(
        "the entry {name} of the .zip file is compressed with method {method}; Assay reads stored and deflated entries"
    )]
    Method { name: String, method: u16 },
    #[error("the .zip file holds {name:?}, a path outside its folder")]
    UnsafePath { name: String },
    #[error("the .zip file holds {name} twice")]
    Duplicate { name: String },
    #[error("the .zip file's entries inflate to {bytes} bytes; at most {max} can be evaluated in a browser")]
    TooLarge { bytes: u64, max: u64 },
    #[error("the entry {name} of the .zip file does not inflate to its declared {size} bytes")]
    WrongSize { name: String, size: u64 },
    #[error("the entry {name} of the .zip file is damaged (its checksum does not match)")]
    Checksum { name: String },
    #[error("the .zip file holds no files")]
    Empty,
}

/// One entry as the central directory declares it.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    local: u64,
}

/// The files of a `.zip` (path inside the archive, one top-level folder taken off → bytes).
pub fn unzip(archive: &[u8], limits: &BundleLimits) -> Result<BTreeMap<String, Vec<u8>>, ArchiveError> {
    let entries = directory(archive)?;
    let max = limits.max_bytes.saturating_add(TEXT_ALLOWANCE);
    let bytes = entries.iter().fold(0u64, |n, e| n.saturating_add(e.size));
    if bytes > max {
        return Err(ArchiveError::TooLarge { bytes, max });
    }
    if entries.is_empty() {
        return Err(ArchiveError::Empty);
    }
    let folder = common_folder(&entries);
    let mut files = BTreeMap::new();
    for entry in &entries {
        let name = entry.name[folder.len()..].to_owned();
        let data = inflate(archive, entry)?;
        if files.insert(name.clone(), data).is_some() {
            return Err(ArchiveError::Duplicate { name });
        }
    }
    Ok(files)
}

/// The central directory's file entries (folders and macOS's extras left out), every name and
/// method checked.
fn directory(archive: &[u8]) -> Result<Vec<Entry>, ArchiveError> {
    let end = (0..=archive.len().saturating_sub(22))
        .rev()
        .take(0xffff + 1)
        .find(|&at| u32_at(archive, at) == Some(END_OF_DIRECTORY))
        .ok_or(ArchiveError::NotZip)?;
    if end >= 20 && u32_at(archive, end - 20) == Some(ZIP64_LOCATOR) {
        return Err(ArchiveError::Zip64);
    }
    let field16 = |at: usize| u16_at(archive, end + at).ok_or(ArchiveError::NotZip);
    let (disk, directory_disk, count) = (field16(4)?, field16(6)?, field16(10)?);
    let directory_offset = u32_at(archive, end + 16).ok_or(ArchiveError::NotZip)?;
    if count == 0xffff || directory_offset == u32::MAX {
        return Err(ArchiveError::Zip64);
    }
    if disk != 0 || directory_disk != 0 {
        return Err(ArchiveError::Spanned);
    }
    let damaged = |what: &str| ArchiveError::Damaged(what.to_owned());
    let mut at = directory_offset as usize;
    let mut entries = Vec::new();
    for _ in 0..count {
        if u32_at(archive, at) != Some(DIRECTORY_ENTRY) {
            return Err(damaged("its central directory does not list its entries"));
        }
        let field16 = |offset: usize| u16_at(archive, at + offset).ok_or_else(|| damaged("its directory is cut short"));
        let field32 = |offset: usize| u32_at(archive, at + offset).ok_or_else(|| damaged("its directory is cut short"));
        let (flags, method) = (field16(8)?, field16(10)?);
        let (crc, compressed, size, local) = (field32(16)?, field32(20)?, field32(24)?, field32(42)?);
        let (name_len, extra_len, comment_len) = (field16(28)? as usize, field16(30)? as usize, field16(32)? as usize);
        let name = archive.get(at + 46..at + 46 + name_len).ok_or_else(|| damaged("its directory is cut short"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        let extra = archive.get(at + 46 + name_len..at + 46 + name_len + extra_len).unwrap_or_default();
        at += 46 + name_len + extra_len + comment_len;
        if [compressed, size, local].contains(&u32::MAX) || has_zip64_field(extra) {
            return Err(ArchiveError::Zip64);
        }
        check_path(&name)?;
        if name.ends_with('/') || skipped(&name) {
            continue;
        }
        if flags & 1 != 0 {
            return Err(ArchiveError::Encrypted { name });
        }
        if method != 0 && method != 8 {
            return Err(ArchiveError::Method { name, method });
        }
        entries.push(Entry {
            name,
            method,
            crc,
            compressed: u64::from(compressed),
            size: u64::from(size),
            local: u64::from(local),
        });
    }
    Ok(entries)
}

/// An entry's bytes, inflated to at most its declared size and checked against its CRC-32.
fn inflate(archive: &[u8], entry: &Entry) -> Result<Vec<u8>, ArchiveError> {
    let damaged = || ArchiveError::Damaged(format!("the entry {} is cut short", entry.name));
    let local = entry.local as usize;
    if u32_at(archive, local) != Some(LOCAL_HEADER) {
        return Err(damaged());
    }
    let name_len = u16_at(archive, local + 26).ok_or_else(damaged)? as usize;
    let extra_len = u16_at(archive, local + 28).ok_or_else(damaged)? as usize;
    let start = local + 30 + name_len + extra_len;
    let stored = archive.get(start..start.saturating_add(entry.compressed as usize)).ok_or_else(damaged)?;
    let wrong_size = || ArchiveError::WrongSize { name: entry.name.clone(), size: entry.size };
    let data = match entry.method {
        0 => stored.to_vec(),
        _ => {
            miniz_oxide::inflate::decompress_to_vec_with_limit(stored, entry.size as usize).map_err(|_| wrong_size())?
        }
    };
    if data.len() as u64 != entry.size {
        return Err(wrong_size());
    }
    if crc32(&data) != entry.crc {
        return Err(ArchiveError::Checksum { name: entry.name.clone() });
    }
    Ok(data)
}

/// Refuses a name that would leave the archive's folder (absolute, `..`, a drive, backslashes).
fn check_path(name: &str) -> Result<(), ArchiveError> {
    let unsafe_path = name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.contains('\0')
        || name.split('/').any(|part| part == "..");
    if unsafe_path { Err(ArchiveError::UnsafePath { name: name.to_owned() }) } else { Ok(()) }
}

/// What macOS's Archive Utility adds beside the files.
fn skipped(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("__MACOSX/") || file == ".DS_Store" || file.starts_with("._")
}

/// `folder/` when every entry is inside that one top-level folder, else nothing.
fn common_folder(entries: &[Entry]) -> String {
    let first = entries.first().and_then(|e| e.name.split_once('/')).map(|(folder, _)| format!("{folder}/"));
    first.filter(|folder| entries.iter().all(|e| e.name.starts_with(folder.as_str()))).unwrap_or_default()
}

/// Whether an extra field holds Zip64 sizes (header ID 1).
fn has_zip64_field(mut extra: &[u8]) -> bool {
    while extra.len() >= 4 {
        let (id, len) = (u16::from_le_bytes([extra[0], extra[1]]), u16::from_le_bytes([extra[2], extra[3]]));
        if id == 1 {
            return true;
        }
        extra = extra.get(4 + len as usize..).unwrap_or_default();
    }
    false
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// CRC-32 (IEEE), as zip stores it.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !data.iter().fold(!0u32, |c, &b| TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of stored entries, as the format writes it.
    fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let (mut zip, mut directory) = (Vec::new(), Vec::new());
        for (name, data) in entries {
            let local = zip.len() as u32;
            let sizes = [crc32(data), data.len() as u32, data.len() as u32];
            zip.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
            zip.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            sizes.iter().for_each(|v| zip.extend_from_slice(&v.to_le_bytes()));
            zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
            zip.extend_from_slice(&[0, 0]);
            zip.extend_from_slice(name.as_bytes());
            zip.extend_from_slice(data);
            directory.extend_from_slice(&DIRECTORY_ENTRY.to_le_bytes());
            directory.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            sizes.iter().for_each(|v| directory.extend_from_slice(&v.to_le_bytes()));
            directory.extend_from_slice(&(name.len() as u16).to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&local.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let offset = zip.len() as u32;
        zip.extend_from_slice(&directory);
        zip.extend_from_slice(&END_OF_DIRECTORY.to_le_bytes());
        zip.extend_from_slice(&[0, 0, 0, 0]);
        zip.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        zip.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        zip.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        zip.extend_from_slice(&offset.to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        zip
    }

    #[test]
    fn crc32_is_zips() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn a_folder_inside_the_zip_is_taken_off_and_hostile_entries_refused() {
        let limits = BundleLimits::default();
        let files =
            unzip(&stored_zip(&[("set/manifest.json", b"{}"), ("set/a.bin", b"ab"), ("__MACOSX/._a", b"x")]), &limits)
                .unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a.bin", "manifest.json"]);
        assert_eq!(
            unzip(&stored_zip(&[("../evil.bin", b"x")]), &limits).unwrap_err().to_string(),
            "the .zip file holds \"../evil.bin\", a path outside its folder"
        );
        let big = vec![0u8; (TEXT_ALLOWANCE + 11) as usize];
        assert_eq!(
            unzip(&stored_zip(&[("a.bin", &big)]), &BundleLimits { max_samples: 1, max_bytes: 10 }).unwrap_err(),
            ArchiveError::TooLarge { bytes: TEXT_ALLOWANCE + 11, max: TEXT_ALLOWANCE + 10 }
        );
        let mut damaged = stored_zip(&[("a.bin", b"12345")]);
        damaged[30 + 5] ^= 1;
        assert_eq!(
            unzip(&damaged, &limits).unwrap_err().to_string(),
            "the entry a.bin of the .zip file is damaged (its checksum does not match)"
        );
        assert_eq!(unzip(b"not a zip at all, just some text", &limits).unwrap_err(), ArchiveError::NotZip);
        assert_eq!(unzip(&stored_zip(&[]), &limits).unwrap_err(), ArchiveError::Empty);
    }
}
