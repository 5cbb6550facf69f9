//! The CID of a file under Assay's fixed import profile, computed in plain Rust: the same DAG
//! that `ipfs-unixfs-importer` builds (and so the dev node, Kubo with the same options, and the
//! browser bundle): CIDv1, raw leaves of 1 MiB, balanced layout with at most 1024 links per
//! node, sha2-256. A single chunk is its own raw block; more are linked by dag-pb UnixFS `file`
//! nodes, level by level.

use super::cid::{Cid, DAG_PB, Multihash, RAW, write_varint};

/// The import profile. Must equal `ipfs-node/src/profile.js` and `ipfs-bundle/src/profile.js`.
pub mod profile {
    pub const CID_VERSION: u8 = 1;
    pub const RAW_LEAVES: bool = true;
    /// Fixed chunk size (Kubo `size-1048576`).
    pub const CHUNK_SIZE: usize = 1_048_576;
    /// Balanced layout: links per node.
    pub const MAX_CHILDREN_PER_NODE: usize = 1024;
}

/// A node of the DAG as its parent sees it.
struct Child {
    cid: Cid,
    /// File bytes under it (UnixFS blocksize).
    file_size: u64,
    /// Bytes of the whole sub-DAG (dag-pb `Tsize`).
    dag_size: u64,
}

/// The CID the import profile gives `bytes`.
pub fn cid_of(bytes: &[u8]) -> Cid {
    let mut chunks = bytes.chunks(profile::CHUNK_SIZE);
    if bytes.len() <= profile::CHUNK_SIZE {
        // One chunk (also the empty file): the raw leaf is the root.
        return Cid::v1(RAW, Multihash::sha2_256(chunks.next().unwrap_or(&[])));
    }
    let mut level: Vec<Child> = chunks
        .map(|chunk| Child {
            cid: Cid::v1(RAW, Multihash::sha2_256(chunk)),
            file_size: chunk.len() as u64,
            dag_size: chunk.len() as u64,
        })
        .collect();
    // Balanced layout: reduce batches of up to 1024 until one root is left. (The importer
    // reduces every batch, even a batch of one, once there is more than one leaf.)
    loop {
        level = level.chunks(profile::MAX_CHILDREN_PER_NODE).map(file_node).collect();
        if level.len() == 1 {
            return level.pop().expect("one root").cid;
        }
    }
}

/// Builds the dag-pb UnixFS `file` node linking `children`.
fn file_node(children: &[Child]) -> Child {
    // UnixFS Data: Type = File (2), filesize, one blocksize per link.
    let file_size: u64 = children.iter().map(|c| c.file_size).sum();
    let mut data = vec![0x08, 0x02, 0x18];
    write_varint(&mut data, file_size);
    for child in children {
        data.push(0x20);
        write_varint(&mut data, child.file_size);
    }
    // dag-pb PBNode, canonical order: Links (field 2) first, then Data (field 1). Each PBLink:
    // Hash (1), Name (2, the empty string, present), Tsize (3).
    let mut block = Vec::with_capacity(children.len() * 48 + data.len() + 8);
    for child in children {
        let mut link = vec![0x0a];
        let hash = child.cid.to_bytes();
        write_varint(&mut link, hash.len() as u64);
        link.extend_from_slice(&hash);
        link.extend_from_slice(&[0x12, 0x00, 0x18]);
        write_varint(&mut link, child.dag_size);
        block.push(0x12);
        write_varint(&mut block, link.len() as u64);
        block.extend_from_slice(&link);
    }
    block.push(0x0a);
    write_varint(&mut block, data.len() as u64);
    block.extend_from_slice(&data);
    let dag_size = block.len() as u64 + children.iter().map(|c| c.dag_size).sum::<u64>();
    Child { cid: Cid::v1(DAG_PB, Multihash::sha2_256(&block)), file_size, dag_size }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic bytes: `(i * 31 + 7) mod 256`, as the ipfs-bundle smoke test used.
    pub fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i.wrapping_mul(31).wrapping_add(7)) as u8).collect()
    }

    #[test]
    fn hello_world_is_the_well_known_raw_cid() {
        assert_eq!(cid_of(b"hello world").to_string(), "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    }

    #[test]
    fn empty_file_is_the_sha256_of_nothing() {
        assert_eq!(cid_of(b"").to_string(), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    }

    #[test]
    fn exactly_one_chunk_is_still_a_raw_leaf() {
        let cid = cid_of(&pattern(profile::CHUNK_SIZE));
        assert_eq!(cid.codec, RAW);
    }

    #[test]
    fn several_chunks_equal_the_js_importer() {
        // Computed by the bundled ipfs-unixfs-importer (ipfs-bundle/dist/assay-ipfs.js `cidOf`)
        // in Node; the task runner's host suite also checks live against the dev node.
        assert_eq!(
            cid_of(&pattern(3 * profile::CHUNK_SIZE + 17)).to_string(),
            "bafybeiccs46musxtj6iyg2mbus3vnbayn5ofgsh5o3k3wpqbxfk3yyvgy4"
        );
    }

    #[test]
    fn one_chunk_plus_one_byte_is_a_dag_pb_root() {
        let cid = cid_of(&pattern(profile::CHUNK_SIZE + 1));
        assert_eq!(cid.codec, DAG_PB);
        assert_eq!(cid.version, 1);
    }
}
