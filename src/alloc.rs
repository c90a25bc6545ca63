//! The global allocator: mimalloc, with freed memory given back to the system after 10 ms, in pages of the
//! system's base size rather than transparent huge pages.
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
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of the allocator's options; any delay in milliseconds is valid.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        disable_huge_pages();
    }
}

/// Turn transparent huge pages off for this process, which mimalloc otherwise asks for (`MADV_HUGEPAGE`) on
/// every region it maps. Each 2 MiB page is cleared whole when first touched and again after a purge, and
/// on this machine kind (a virtual machine) that clearing was the largest single cost of a warm start: a warm
/// `dossier check` of the White House corpus took 1.17-1.18 s after a pause (0.9-1.1 s of it in the kernel)
/// and 0.50-0.59 s right after another, at 325-337 MB; without huge pages 0.72-0.74 s and 0.60-0.66 s, at
/// 294-297 MB. A cold check took 10.4-11.0 s at 790 MB without them, 11.3-12.1 s at 848 MB with them.
///
/// mimalloc's own option (`mi_option_allow_thp`) is read when it starts, before `main`; the process flag set
/// here is checked by the kernel at every fault, so it also covers the regions already mapped. mimalloc's
/// `MIMALLOC_ALLOW_THP` in the environment is left to rule.
fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_THP_DISABLE takes one integer flag and no pointers; it fails harmlessly on a
        // kernel that lacks it.
        // (Called before logging starts; on failure huge pages are merely left as they were.)
        let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

/// How long freed memory is kept before it goes back to the system, in milliseconds.
const PURGE_DELAY_MS: std::ffi::c_long = 10;
