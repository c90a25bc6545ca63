//! Helpers shared by unit tests: a small deterministic random generator, and random texts made with it.

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

    /// A text of `n` pieces drawn from `pieces` (string slices or characters), each followed by what `after`
    /// gives for the number that drew it (`""` for nothing): the random mixtures the scanners' tests compare on.
    pub fn mixture<P: Piece>(
        &mut self,
        pieces: &[P],
        n: u64,
        after: impl Fn(u64) -> &'static str,
    ) -> String {
        let mut s = String::new();
        for _ in 0..n {
            let seed = self.next();
            Self::pick(seed, pieces).push_to(&mut s);
            s.push_str(after(seed));
        }
        s
    }
}

/// What a random text is made of: string slices or characters.
pub(crate) trait Piece: Copy {
    fn push_to(self, s: &mut String);
}

impl Piece for &str {
    fn push_to(self, s: &mut String) {
        s.push_str(self);
    }
}

impl Piece for char {
    fn push_to(self, s: &mut String) {
        s.push(self);
    }
}
