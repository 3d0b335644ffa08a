//! FNV-1a, 64 bits: a hash that is the same on every machine and Rust release (std's
//! hasher is not), for fingerprints written to files.

use std::io;

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

impl io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        *self = self.bytes(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of a serializable value.
pub fn of<T: serde::Serialize + ?Sized>(start: Fnv, value: &T) -> String {
    let mut hasher = start;
    // Writing to the hasher cannot fail; a value that cannot serialize hashes as far as it got.
    let _ = serde_json::to_writer(&mut hasher, value);
    hasher.hex()
}
