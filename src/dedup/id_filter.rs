//! A split-block Bloom filter over 64-bit id hashes (the layout Parquet
//! uses): each key sets one bit in each of the eight 32-bit words of one
//! 256-bit block, so a lookup touches one cache line. No false negatives;
//! at 16 bits per key about 0.05% false positives.

/// Bits of filter per key it is sized for.
const BITS_PER_KEY: usize = 16;
/// The filter never grows beyond this (past it, false positives rise).
pub const MAX_FILTER_BYTES: usize = 256 << 20;

const SALT: [u32; 8] = [
    0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31,
];

/// Bloom filter of 64-bit hashes (the hashes must already be uniform).
pub struct IdFilter {
    blocks: Vec<[u32; 8]>,
}

impl IdFilter {
    /// An empty filter sized for `keys` keys (at most [`MAX_FILTER_BYTES`]).
    pub fn with_capacity(keys: usize) -> IdFilter {
        let blocks = (keys.max(1) * BITS_PER_KEY)
            .div_ceil(256)
            .min(MAX_FILTER_BYTES / 32);
        IdFilter {
            blocks: vec![[0; 8]; blocks],
        }
    }

    fn block(&self, hash: u64) -> usize {
        (((hash >> 32) * self.blocks.len() as u64) >> 32) as usize
    }

    fn mask(hash: u64) -> [u32; 8] {
        let low = hash as u32;
        SALT.map(|salt| 1u32 << (low.wrapping_mul(salt) >> 27))
    }

    /// Adds a hash.
    pub fn insert(&mut self, hash: u64) {
        let i = self.block(hash);
        let mask = Self::mask(hash);
        for (word, bit) in self.blocks[i].iter_mut().zip(mask) {
            *word |= bit;
        }
    }

    /// Adds many hashes (as stored: `i64`), fetching each block into the
    /// cache a few keys ahead: a filter of millions of keys does not fit
    /// in the cache, and the lookups are random.
    pub fn insert_all(&mut self, hashes: &[i64]) {
        const AHEAD: usize = 8;
        for (i, &hash) in hashes.iter().enumerate() {
            if let Some(&next) = hashes.get(i + AHEAD) {
                self.prefetch(next as u64);
            }
            self.insert(hash as u64);
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn prefetch(&self, hash: u64) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let block = &self.blocks[self.block(hash)];
        // SAFETY: a prefetch is only a hint; the address is of a live block
        unsafe { _mm_prefetch::<_MM_HINT_T0>(block.as_ptr().cast()) };
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn prefetch(&self, _hash: u64) {}

    /// False: `hash` was never inserted. True: it probably was.
    pub fn may_contain(&self, hash: u64) -> bool {
        let block = &self.blocks[self.block(hash)];
        block
            .iter()
            .zip(Self::mask(hash))
            .all(|(word, bit)| word & bit != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(i: u64) -> u64 {
        xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes())
    }

    #[test]
    fn every_inserted_hash_is_found() {
        let mut filter = IdFilter::with_capacity(100_000);
        (0..100_000).for_each(|i| filter.insert(hash(i)));
        assert!((0..100_000).all(|i| filter.may_contain(hash(i))));
        assert_eq!(filter.blocks.len() * 32, 100_000 * BITS_PER_KEY / 8);
    }

    #[test]
    fn inserting_many_at_once_is_inserting_each() {
        let hashes: Vec<i64> = (0..10_000).map(|i| hash(i) as i64).collect();
        let mut each = IdFilter::with_capacity(10_000);
        hashes.iter().for_each(|&h| each.insert(h as u64));
        let mut all = IdFilter::with_capacity(10_000);
        all.insert_all(&hashes);
        assert_eq!(all.blocks, each.blocks);
    }

    #[test]
    fn false_positives_are_rare() {
        let mut filter = IdFilter::with_capacity(100_000);
        (0..100_000).for_each(|i| filter.insert(hash(i)));
        let false_positives = (1_000_000..2_000_000)
            .filter(|&i| filter.may_contain(hash(i)))
            .count();
        // split-block filters at 16 bits per key: well under 0.2%
        assert!(false_positives < 2_000, "{false_positives} in 1,000,000");
    }

    #[test]
    fn an_empty_filter_contains_nothing() {
        let filter = IdFilter::with_capacity(0);
        assert!((0..1000).all(|i| !filter.may_contain(hash(i))));
    }
}
