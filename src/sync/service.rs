//! The background sync service: a named thread beside the terminal that
//! sends new events and takes reference changes on and on, so scanning
//! never waits for the network and the operator never has to ask.
//!
//! It loops: one [pass](super::pass), then a wait — the interval after a
//! success, a jittered backoff after a failure time can cure, the retry
//! ceiling after a refusal. A [`Nudger::nudge`] (an event was recorded)
//! ends an interval wait at once; during a backoff or after a refusal it
//! only refreshes the pending count, so a busy scanner cannot make the
//! terminal hammer a server that is down. Every change is published as a
//! [`SyncStatus`]: read it with [`SyncService::status`], or be called on
//! each change.
//!
//! The service has its own journal connection and holds no journal lock
//! while a request is in flight. [`SyncService::stop`] (or dropping it)
//! wakes the thread and joins it; a pass in progress ends after its
//! current request, so stopping takes at most one request timeout.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use chrono::Utc;
use crossbeam_channel::{Receiver, Sender};

use super::backoff::Backoff;
use super::client::{SyncClient, SyncError};
use super::enrollment::Enrollment;
use super::pass::run_pass;
use super::status::{Connectivity, SyncStatus, is_retryable};
use crate::journal::{self, Journal};

/// How the service paces itself: from `[sync]` through
/// [`SyncConfig::service_settings`](super::SyncConfig::service_settings);
/// tests use milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSettings {
    /// The wait between passes once everything is sent.
    pub interval: Duration,
    /// Events per upload request.
    pub batch_size: usize,
    /// The cap of the first backoff wait; it doubles per failure.
    pub retry_base: Duration,
    /// The backoff's ceiling, and the wait after a refusal.
    pub retry_ceiling: Duration,
}

/// Called on the service thread with every new status; it must return
/// quickly (a window hands the status to its event loop).
pub type OnChange = Box<dyn Fn(&SyncStatus) + Send + 'static>;

/// Tells the service that events were recorded; cheap, never blocks, and
/// can be cloned into whatever records events.
#[derive(Debug, Clone)]
pub struct Nudger(Sender<()>);

impl Nudger {
    /// New events are in the journal: pass now, unless the server is
    /// known to be down or refusing (then only the pending count is
    /// refreshed). Nudges while one is pending merge into it.
    pub fn nudge(&self) {
        // Full: a nudge is already waiting. Disconnected: stopped.
        let _ = self.0.try_send(());
    }
}

/// The running service. Dropping it stops the thread and waits for it.
#[derive(Debug)]
pub struct SyncService {
    nudger: Nudger,
    /// Dropped to wake and stop the thread.
    stop: Option<Sender<()>>,
    /// Read by a pass between requests, so a long upload ends early.
    stopping: Arc<AtomicBool>,
    status: Arc<Mutex<SyncStatus>>,
    thread: Option<JoinHandle<()>>,
}

impl SyncService {
    /// Starts the service for the terminal whose data directory is
    /// `data_dir` (its `journal.sqlite` and `sync.json`), calling
    /// `on_change` with each new status. Fails only when the thread cannot
    /// be spawned; everything else shows in the status.
    pub fn start(
        data_dir: &Path,
        settings: ServiceSettings,
        on_change: Option<OnChange>,
    ) -> std::io::Result<SyncService> {
        let (stop, stop_rx) = crossbeam_channel::bounded(0);
        let (nudges, nudge_rx) = crossbeam_channel::bounded(1);
        let stopping = Arc::new(AtomicBool::new(false));
        let status = Arc::new(Mutex::new(SyncStatus::default()));
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |t| t.as_nanos() as u64)
            ^ u64::from(std::process::id()).rotate_left(32);
        let worker = Worker {
            journal_path: data_dir.join(journal::FILE_NAME),
            data_dir: data_dir.to_path_buf(),
            backoff: Backoff::new(settings.retry_base, settings.retry_ceiling, seed),
            settings,
            stopping: stopping.clone(),
            status: status.clone(),
            on_change,
            journal: None,
            session: None,
            tried: None,
        };
        let thread = thread::Builder::new()
            .name("lotline-sync".into())
            .spawn(move || worker.run(&stop_rx, &nudge_rx))?;
        Ok(SyncService {
            nudger: Nudger(nudges),
            stop: Some(stop),
            stopping,
            status,
            thread: Some(thread),
        })
    }

    /// Like [`SyncService::start`] when the terminal is enrolled (its
    /// `sync.json` exists, even if damaged: the status then says so);
    /// None otherwise, so an unenrolled terminal runs no sync thread.
    pub fn start_if_enrolled(
        data_dir: &Path,
        settings: ServiceSettings,
        on_change: Option<OnChange>,
    ) -> std::io::Result<Option<SyncService>> {
        if !Enrollment::path(data_dir).exists() {
            return Ok(None);
        }
        SyncService::start(data_dir, settings, on_change).map(Some)
    }

    /// The latest status, without touching the network.
    pub fn status(&self) -> SyncStatus {
        lock(&self.status).clone()
    }

    /// Same as [`Nudger::nudge`].
    pub fn nudge(&self) {
        self.nudger.nudge();
    }

    /// A nudger for whatever records events.
    pub fn nudger(&self) -> Nudger {
        self.nudger.clone()
    }

    /// Stops the service and waits for its thread (at most the request in
    /// flight).
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        self.stop.take();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the sync thread panicked");
        }
    }
}

impl Drop for SyncService {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn lock(status: &Mutex<SyncStatus>) -> std::sync::MutexGuard<'_, SyncStatus> {
    status.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a nudge does during a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnNudge {
    /// Pass at once (idle, or not enrolled: nothing to protect).
    Pass,
    /// Only refresh the pending count (backing off).
    Refresh,
    /// Refresh, and pass at once if the terminal was enrolled again.
    PassIfReenrolled,
}

/// The wait after an attempt.
#[derive(Debug, Clone, Copy)]
struct Wait {
    until: Instant,
    on_nudge: OnNudge,
}

/// An enrollment and the client for its server.
struct Session {
    enrollment: Enrollment,
    client: SyncClient,
}

/// The service thread's state.
struct Worker {
    data_dir: PathBuf,
    journal_path: PathBuf,
    settings: ServiceSettings,
    stopping: Arc<AtomicBool>,
    status: Arc<Mutex<SyncStatus>>,
    on_change: Option<OnChange>,
    /// Opened at the first pass, reopened after a journal failure.
    journal: Option<Journal>,
    /// Rebuilt when `sync.json` changes.
    session: Option<Session>,
    /// The enrollment the last attempt found, to notice a new one.
    tried: Option<Enrollment>,
    backoff: Backoff,
}

impl Worker {
    /// Passes and waits until stopped.
    fn run(mut self, stop: &Receiver<()>, nudges: &Receiver<()>) {
        let mut wait = Wait {
            until: Instant::now(),
            on_nudge: OnNudge::Pass,
        };
        loop {
            let timeout = wait.until.saturating_duration_since(Instant::now());
            let nudged = crossbeam_channel::select! {
                recv(stop) -> _ => return,
                recv(nudges) -> nudge => match nudge {
                    Ok(()) => true,
                    Err(_) => return,
                },
                default(timeout) => false,
            };
            if self.stopping.load(Ordering::Relaxed) {
                return;
            }
            if nudged {
                self.refresh_progress();
                let pass = match wait.on_nudge {
                    OnNudge::Pass => true,
                    OnNudge::Refresh => false,
                    OnNudge::PassIfReenrolled => self.reenrolled(),
                };
                if !pass {
                    continue;
                }
            }
            wait = self.attempt();
        }
    }

    /// One pass (or finding the terminal not enrolled), published; returns
    /// the wait before the next.
    fn attempt(&mut self) -> Wait {
        let now = Instant::now();
        let outcome = self.try_pass();
        let wait = match outcome {
            Ok(Some(report)) => {
                self.backoff.reset();
                self.update(|status| status.succeeded(report, Utc::now()));
                Wait {
                    until: now + self.settings.interval,
                    on_nudge: OnNudge::Pass,
                }
            }
            Ok(None) => {
                self.update(SyncStatus::not_enrolled);
                Wait {
                    until: now + self.settings.interval,
                    on_nudge: OnNudge::Pass,
                }
            }
            Err(error) => {
                if matches!(error, SyncError::Journal(_)) {
                    self.journal = None;
                }
                let (delay, on_nudge) = if is_retryable(&error) {
                    (self.backoff.next_delay(), OnNudge::Refresh)
                } else {
                    (self.settings.retry_ceiling, OnNudge::PassIfReenrolled)
                };
                self.update(|status| status.failed(&error, delay));
                Wait {
                    until: Instant::now() + delay,
                    on_nudge,
                }
            }
        };
        self.refresh_progress();
        wait
    }

    /// Loads the enrollment (None: not enrolled), opens what is needed and
    /// runs a pass that gives up between requests once stopping.
    fn try_pass(&mut self) -> Result<Option<super::PassReport>, SyncError> {
        self.tried = load_enrollment(&self.data_dir)?;
        let Some(enrollment) = self.tried.clone() else {
            return Ok(None);
        };
        let session = match self.session.take() {
            Some(session) if session.enrollment == enrollment => session,
            _ => Session {
                client: SyncClient::new(&enrollment.server_url, enrollment.ca_file.as_deref())?,
                enrollment,
            },
        };
        let session = self.session.insert(session);
        let journal = match &mut self.journal {
            Some(journal) => journal,
            slot @ None => slot.insert(Journal::open_existing(&self.journal_path)?),
        };
        let stopping = &self.stopping;
        let go_on = || !stopping.load(Ordering::Relaxed);
        run_pass(
            journal,
            &session.client,
            &session.enrollment,
            self.settings.batch_size,
            &go_on,
        )
        .map(Some)
    }

    /// Whether `sync.json` now differs from the one that was refused.
    fn reenrolled(&self) -> bool {
        match load_enrollment(&self.data_dir) {
            Ok(now) => now != self.tried,
            Err(_) => false,
        }
    }

    /// Reads the pending count and `acked_through` from the journal (a
    /// local read) and publishes them if they changed.
    fn refresh_progress(&mut self) {
        let Some(journal) = &self.journal else {
            return;
        };
        match (journal.synced_through(), journal.unsynced()) {
            (Ok(acked_through), Ok(pending)) => {
                self.update(|status| status.with_progress(acked_through, pending));
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "cannot read the sync progress from the journal");
            }
        }
    }

    /// Applies `change` to the status; on a change, logs a new
    /// connectivity and calls the subscriber.
    fn update(&self, change: impl FnOnce(&SyncStatus) -> SyncStatus) {
        let (previous, next) = {
            let mut status = lock(&self.status);
            let next = change(&status);
            if next == *status {
                return;
            }
            (std::mem::replace(&mut *status, next.clone()), next)
        };
        log_transition(&previous.connectivity, &next.connectivity);
        if let Some(on_change) = &self.on_change {
            on_change(&next);
        }
    }
}

/// The enrollment in `data_dir`; a damaged file is a setup error (enroll
/// again), which the status shows as a refusal.
fn load_enrollment(data_dir: &Path) -> Result<Option<Enrollment>, SyncError> {
    Enrollment::load(data_dir).map_err(|e| SyncError::Setup(format!("{e:#}")))
}

/// Logs a change of connectivity (not each retry of the same failure).
fn log_transition(previous: &Connectivity, next: &Connectivity) {
    let same_state = std::mem::discriminant(previous) == std::mem::discriminant(next);
    if same_state && previous.reason() == next.reason() {
        return;
    }
    match next {
        Connectivity::Connecting => {}
        Connectivity::Online => tracing::info!("sync: online"),
        Connectivity::NotEnrolled => tracing::info!("sync: this terminal is not enrolled"),
        Connectivity::Offline { reason, retry_in } => {
            tracing::warn!(%reason, ?retry_in, "sync: offline, retrying");
        }
        Connectivity::Refused { reason } => tracing::error!(%reason, "sync: refused"),
    }
}
