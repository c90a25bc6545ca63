//! Work no request waits for (a note's diagnostics, the merge after a change, storing it) runs on threads of
//! its own at a lower scheduling priority, so that answers to hovers and go-to-source are not slowed by it.
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

/// Lower the calling thread's scheduling priority to [`NICE`] (and that of the threads it starts).
pub(super) fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority takes plain integers; with PRIO_PROCESS and 0 Linux applies it to the calling
        // thread only. It fails harmlessly (the priority stays as it was).
        let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, NICE) };
    }
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
}
