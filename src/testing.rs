//! Helpers shared by unit tests: a small deterministic random generator for random texts.

/// Marsaglia's xorshift64: the same sequence on every run and machine, so a failing random case can be
/// replayed from its printed input.
pub(crate) struct XorShift(pub u64);

impl XorShift {
    /// The next number of the sequence.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One of `items`, from the number `r` drawn by [`XorShift::next`].
    pub fn pick<T: Copy>(r: u64, items: &[T]) -> T {
        items[(r % items.len() as u64) as usize]
    }
}
