//! Scheduling: work no request waits for (a note's diagnostics, the merge after a change, storing it) runs on
//! threads of its own at a lower priority, and the threads that answer requests ask the kernel to let them in
//! as soon as they wake, so that answers to hovers and go-to-source are not slowed by that work.
//!
//! On Linux the nice value belongs to a thread, and the threads it starts (the analysis's workers) inherit it.
//! An unprivileged thread cannot raise its priority back, so this is never done on a thread of tokio's pool,
//! which later answers requests: each job gets a thread of its own (a few tens of microseconds to start, far
//! below what these jobs cost).

use tokio::sync::oneshot;

/// How much lower background work runs than requests: when both want the same core, the kernel's scheduler
/// gives a thread at nice 5 about a third of the time of one at nice 0 (all of it when nothing else runs).
/// Not lower: a note's diagnostics should not starve behind a build the analyst runs beside the editor.
const NICE: libc::c_int = 5;

/// Run `f` on a new thread named `name` at the background priority; its result, or `None` if it panicked.
/// When no thread can be made, it runs on tokio's blocking pool at the usual priority.
pub(super) async fn run<R: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> R + Send + 'static,
) -> Option<R> {
    let (tx, rx) = oneshot::channel();
    let job = move |own_thread: bool| {
        if own_thread {
            lower_priority();
        }
        // A panic is logged by the hook and reads as no result.
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
        let _ = tx.send(r);
    };
    if let Err(job) = spawn(name, job) {
        tokio::task::spawn_blocking(move || job(false));
    }
    rx.await.ok().flatten()
}

/// Start `job(true)` on a thread named `name`; the job back when no thread can be made.
fn spawn<F: FnOnce(bool) + Send + 'static>(name: &str, job: F) -> Result<(), F> {
    // A failed spawn drops what it was given, so the job is handed over through a slot it can be taken back
    // from.
    let slot = std::sync::Arc::new(std::sync::Mutex::new(Some(job)));
    let taken = slot.clone();
    let spawned = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let job = taken.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(job) = job {
                job(true);
            }
        });
    match spawned {
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!("cannot start a thread for {name}: {e}");
            match slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
                Some(job) => Err(job),
                None => Ok(()),
            }
        }
    }
}

/// Lower the calling thread's scheduling priority by [`NICE`] (and that of the threads it starts), and give
/// it the kernel's default time slice.
pub(super) fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getpriority and setpriority take plain integers; with PRIO_PROCESS and 0 Linux applies them
        // to the calling thread only. A failure is harmless (the priority stays as it was). setpriority takes
        // an absolute value: the thread's own plus NICE, so that the background work of a server started at a
        // lower priority stays lower still (and a privileged server never raises it).
        let now = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, (now + NICE).min(19)) };
    }
    set_slice(0);
}

/// Linux's `struct sched_attr` (first version, 48 bytes).
#[cfg(target_os = "linux")]
#[repr(C)]
#[derive(Default)]
struct SchedAttr {
    size: u32,
    policy: u32,
    flags: u64,
    nice: i32,
    priority: u32,
    runtime: u64,
    deadline: u64,
    period: u64,
}

/// Ask for a time slice of `slice_ns` on the calling thread (0: the kernel's default), keeping its policy
/// and nice value. Since Linux 6.12 a thread that asks for a shorter slice than the running one's is let in
/// as soon as it wakes, rather than at the end of the running thread's slice (up to a scheduler tick, 4 ms
/// here); older kernels ignore the request.
fn set_slice(slice_ns: u64) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getpriority takes plain integers.
        let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let attr = SchedAttr {
            size: std::mem::size_of::<SchedAttr>() as u32,
            policy: libc::SCHED_OTHER as u32,
            nice,
            runtime: slice_ns,
            ..SchedAttr::default()
        };
        // SAFETY: sched_setattr reads `attr` (whose `size` says how much) and writes nothing; pid 0 is the
        // calling thread. A failure leaves the thread as it was.
        let _ = unsafe { libc::syscall(libc::SYS_sched_setattr, 0, &attr as *const SchedAttr, 0) };
    }
}

/// The time slice of threads that answer requests (the shortest Linux grants).
const PROMPT_SLICE_NS: u64 = 100_000;

/// For threads that answer requests: a short time slice, so that they run as soon as a request wakes them
/// even when background work fills every core.
pub(super) fn answer_promptly() {
    set_slice(PROMPT_SLICE_NS);
}

/// The calling thread's time slice in nanoseconds (for tests).
#[cfg(all(test, target_os = "linux"))]
fn slice() -> u64 {
    let mut attr = SchedAttr::default();
    // SAFETY: sched_getattr writes at most `size` bytes into `attr`.
    let r = unsafe {
        libc::syscall(
            libc::SYS_sched_getattr,
            0,
            &mut attr as *mut SchedAttr,
            std::mem::size_of::<SchedAttr>() as u32,
            0,
        )
    };
    assert_eq!(r, 0, "sched_getattr");
    attr.runtime
}

/// Whether the running kernel is at least `major.minor`.
#[cfg(all(test, target_os = "linux"))]
fn kernel_at_least(major: u32, minor: u32) -> bool {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut parts = release
        .trim()
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    found >= (major, minor)
}

/// The calling thread's nice value (for tests).
#[cfg(test)]
fn nice() -> libc::c_int {
    // SAFETY: getpriority takes plain integers.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_runs_at_a_lower_priority_on_a_thread_of_its_own_and_reports_panics_as_none()
    {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let here = nice();
        let (niced, name) = rt
            .block_on(run("dossier-test-background", || {
                (nice(), std::thread::current().name().map(str::to_string))
            }))
            .expect("ran");
        if cfg!(target_os = "linux") {
            assert_eq!(niced, (here + NICE).min(19));
        }
        assert_eq!(name.as_deref(), Some("dossier-test-background"));
        // The caller's priority is untouched.
        assert_eq!(nice(), here);
        let panicked = rt.block_on(run("dossier-test-panic", || -> u8 { panic!("on purpose") }));
        assert_eq!(panicked, None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn request_threads_ask_for_a_short_slice_and_background_work_started_from_them_does_not() {
        let default = std::thread::spawn(slice).join().expect("thread");
        let (asked, background) = std::thread::spawn(|| {
            answer_promptly();
            let asked = slice();
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            let background = rt.block_on(run("dossier-test-slice", slice)).expect("ran");
            (asked, background)
        })
        .join()
        .expect("thread");
        // Kernels before 6.12 keep no slice of a thread's own choosing.
        if kernel_at_least(6, 12) {
            assert_eq!(asked, PROMPT_SLICE_NS);
        }
        assert_eq!(background, default);
    }
}
