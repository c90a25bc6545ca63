//! The global allocator: mimalloc, with freed memory given back to the system after 10 ms.
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

/// Set the allocator's options; call first thing in `main`. Freed memory goes back to the system after 10 ms
/// rather than mimalloc's default second: with the second, a cold load of the White House corpus peaked about
/// 40–90 MB higher; with no delay at all, memory given back and taken again cost the kernel 1–2 s of clearing
/// pages (a cold in-process load of that corpus took 10.1–10.9 s with no delay, 9.3–9.4 s with 10 ms, at the
/// same peak). mimalloc's own `MIMALLOC_PURGE_DELAY` in the environment is left to rule.
pub fn configure() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets one of the allocator's options; any delay in milliseconds is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}

/// How long freed memory is kept before it goes back to the system, in milliseconds.
const PURGE_DELAY_MS: std::ffi::c_long = 10;
