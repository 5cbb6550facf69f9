//! What buyers will download: above [`LARGE_DOWNLOAD_BYTES`] the wizard's file step says how much
//! and how long it takes at a typical speed, so a researcher can choose a smaller (e.g.
//! quantised) file or, for encrypted weights, a small public trial file.

use crate::units::{download_time, format_bytes};

/// The size from which a model file counts as a large download (100 MB).
pub const LARGE_DOWNLOAD_BYTES: u64 = 100_000_000;

/// The warning for a model file of `size` bytes, `None` below [`LARGE_DOWNLOAD_BYTES`]. Open
/// weights are also what everyone trying the model downloads; encrypted ones only buyers (a
/// trial runs the public trial file).
pub fn large_download_warning(size: u64, encrypted: bool) -> Option<String> {
    if size < LARGE_DOWNLOAD_BYTES {
        return None;
    }
    let who = if encrypted {
        "Buyers will download"
    } else {
        "Buyers, and everyone who tries the model in their browser, will download"
    };
    let advice = if encrypted {
        "A smaller (e.g. quantised) file, or a small public trial file, makes trying it quicker."
    } else {
        "A smaller (e.g. quantised) file makes trying and using it quicker."
    };
    Some(format!(
        "{who} {} ({}): from {} on, a model is slow to fetch. {advice}",
        format_bytes(size),
        download_time(size),
        format_bytes(LARGE_DOWNLOAD_BYTES),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_from_100_mb_are_said_to_be_large_downloads() {
        assert_eq!(large_download_warning(99_999_999, false), None);
        assert_eq!(large_download_warning(5_549, true), None);
        assert_eq!(
            large_download_warning(LARGE_DOWNLOAD_BYTES, false).as_deref(),
            Some(
                "Buyers, and everyone who tries the model in their browser, will download 100 MB (about 16 s at 50 Mbit/s): \
                 from 100 MB on, a model is slow to fetch. A smaller (e.g. quantised) file makes trying and using it quicker."
            )
        );
        assert_eq!(
            large_download_warning(1_500_000_000, true).as_deref(),
            Some(
                "Buyers will download 1.5 GB (about 4 min at 50 Mbit/s): from 100 MB on, a model is slow to fetch. A \
                 smaller (e.g. quantised) file, or a small public trial file, makes trying it quicker."
            )
        );
    }
}
