//! FNV-1a, 64 bits: a hash that is the same on every machine and Rust release (std's
//! hasher is not), for fingerprints written to files; and the fast fingerprints of the
//! generator's cache.

use std::hash::{BuildHasher, Hasher};
use std::io;

use foldhash::quality::FixedState;

#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// A part of a composite key, ended so that ("ab", "c") and ("a", "bc") differ.
    pub fn part(self, text: &str) -> Self {
        self.bytes(text.as_bytes()).bytes(&[0])
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The fingerprint of `parts` and a serializable value, for the cache of generated files:
/// made and read by one build of the generator (its own fingerprint is a part), so it
/// need not be stable across releases, only fast (a file's slice of the model is
/// megabytes of JSON, hashed a buffer at a time rather than FNV's byte at a time).
pub fn of<T: serde::Serialize + ?Sized>(parts: &[&str], value: &T) -> String {
    let mut hasher = hasher();
    for part in parts {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    let mut writer = io::BufWriter::with_capacity(1 << 14, HashWriter(hasher));
    // Writing to the hasher cannot fail; a value that cannot serialize hashes as far as it got.
    let _ = serde_json::to_writer(&mut writer, value);
    let _ = io::Write::flush(&mut writer);
    let (HashWriter(hasher), _) = writer.into_parts();
    format!("{:016x}", hasher.finish())
}

/// The fingerprint of a text, for the same cache: what a file held when it was written,
/// to tell that nobody changed it since (every generated file is hashed on every run).
pub fn of_text(text: &str) -> String {
    let mut hasher = hasher();
    hasher.write(text.as_bytes());
    format!("{:016x}{:x}", hasher.finish(), text.len())
}

/// The hasher of the cache's fingerprints: the same within one build of the generator.
pub fn hasher() -> impl Hasher {
    FixedState::default().build_hasher()
}

struct HashWriter<H>(H);

impl<H: Hasher> io::Write for HashWriter<H> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
