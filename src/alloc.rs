//! The global allocator: mimalloc, with freed memory given back to the system at once.
//!
//! Extraction and the merge allocate many small, short-lived values on every core; with glibc's allocator
//! that cost about a sixth of a cold load's CPU, and mimalloc cut the cold load of the White House corpus
//! by about a fifth of its CPU time. Every binary of the crate (the `dossier` command, tests, benchmarks)
//! links this allocator; [`configure`] sets its options.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: the 16th option of its v2 and v3 headers (the -sys crate does not
/// name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Set the allocator's options; call first thing in `main`. Freed memory goes back to the system at once
/// rather than after a second: with the delay, a cold load of the White House corpus peaked about 90 MB
/// higher.
pub fn configure() {
    // SAFETY: sets one of the allocator's options; 0 is a valid delay.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}
