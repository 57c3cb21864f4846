//! The reader thread: configures a Mercury reader, loops inventories,
//! dedupes the reads, gathers them into bursts and sends each burst to
//! the engine over a crossbeam channel.
//!
//! Nothing a reader does can take the thread down with a panic: a refused
//! command or a garbled answer is reported as [`ReaderEvent::Error`] and
//! the reader is configured again (it may have rebooted); a vanished port
//! ends the thread with [`ReaderEvent::Disconnected`] after the open
//! burst is flushed, so reads already taken are not lost. Reconnecting
//! is the supervisor's job.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossbeam_channel::Sender;

use super::burst::Bursts;
use super::dedupe::AggregatedRead;
use super::session::{ReaderConfig, Session};
use super::status::RfidError;

/// What a reader thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// The reader answered and is configured.
    Connected {
        /// The reader's configured name.
        reader: String,
        /// Its firmware version.
        firmware: String,
    },
    /// The tags of one burst (see [`super::burst`]), one aggregate per
    /// EPC in the order first seen; never empty.
    Burst {
        /// The reader's configured name.
        reader: String,
        /// The aggregates.
        reads: Vec<AggregatedRead>,
    },
    /// A command failed; the thread carries on.
    Error {
        /// The reader's configured name.
        reader: String,
        /// What went wrong, with the status code when the reader gave one.
        message: String,
    },
    /// The port is gone; the thread has ended.
    Disconnected {
        /// The reader's configured name.
        reader: String,
        /// Why.
        reason: String,
    },
}

/// The default quiet gap that ends a burst, in milliseconds (also the
/// default of `burst_gap_ms` in the device configuration).
pub const DEFAULT_BURST_GAP_MS: u64 = 500;

/// Driver settings beyond the reader's own configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverConfig {
    /// The name events carry (from the device configuration).
    pub name: String,
    /// Reader setup and timing.
    pub reader: ReaderConfig,
    /// Dedupe window per EPC.
    pub dedupe_window: Duration,
    /// A burst ends after this long without a new tag.
    pub burst_gap: Duration,
    /// Pause after a failed command before trying again.
    pub retry_delay: Duration,
}

impl DriverConfig {
    /// A driver named `name` for `reader`, with a 2 s dedupe window (a
    /// pallet passing a dock door is read within it), bursts ending after
    /// 0.5 s without a new tag (two empty rounds of the default 250 ms)
    /// and 0.5 s between retries.
    pub fn new(name: impl Into<String>, reader: ReaderConfig) -> DriverConfig {
        DriverConfig {
            name: name.into(),
            reader,
            dedupe_window: Duration::from_secs(2),
            burst_gap: Duration::from_millis(DEFAULT_BURST_GAP_MS),
            retry_delay: Duration::from_millis(500),
        }
    }
}

/// Counters of a finished reader thread, for `lotline devices` and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReaderStats {
    /// Inventory rounds completed.
    pub inventories: u64,
    /// Tag records received (before dedupe).
    pub tag_records: u64,
    /// Aggregated reads sent (one per EPC per burst).
    pub reads_sent: u64,
    /// Bursts sent.
    pub bursts_sent: u64,
    /// Failed commands.
    pub errors: u64,
    /// Frames dropped for a bad CRC.
    pub crc_errors: u64,
    /// Bytes skipped as garbage.
    pub discarded_bytes: u64,
}

/// A running reader thread.
#[derive(Debug)]
pub struct ReaderHandle {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<ReaderStats>,
}

impl ReaderHandle {
    /// Whether the thread has ended (after a disconnect).
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Stops the thread after its current command and returns its counters.
    /// The open burst is flushed as an event first.
    pub fn stop(self) -> ReaderStats {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}

/// Starts a reader thread on `port` (a serial port with a read timeout).
pub fn spawn<P>(
    port: P,
    config: DriverConfig,
    events: Sender<ReaderEvent>,
) -> std::io::Result<ReaderHandle>
where
    P: Read + Write + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = thread::Builder::new()
        .name(format!("rfid-{}", config.name))
        .spawn(move || Driver::new(port, config, events, flag).run())?;
    Ok(ReaderHandle { stop, thread })
}

struct Driver<P> {
    session: Session<P>,
    config: DriverConfig,
    events: Sender<ReaderEvent>,
    stop: Arc<AtomicBool>,
    bursts: Bursts,
    stats: ReaderStats,
}

/// Why the loop ended.
enum End {
    Stopped,
    Disconnected(String),
    /// Nobody listens any more.
    ChannelClosed,
}

impl<P: Read + Write> Driver<P> {
    fn new(
        port: P,
        config: DriverConfig,
        events: Sender<ReaderEvent>,
        stop: Arc<AtomicBool>,
    ) -> Self {
        Driver {
            session: Session::new(port, config.reader.response_timeout),
            bursts: Bursts::new(config.dedupe_window, config.burst_gap),
            config,
            events,
            stop,
            stats: ReaderStats::default(),
        }
    }

    fn run(mut self) -> ReaderStats {
        let end = self.serve();
        let flushed = self.bursts.flush();
        if self.send_burst(flushed)
            && let End::Disconnected(reason) = end
        {
            self.send(ReaderEvent::Disconnected {
                reader: self.config.name.clone(),
                reason,
            });
        }
        let framing = self.session.framer_stats();
        self.stats.crc_errors = framing.crc_errors;
        self.stats.discarded_bytes = framing.discarded_bytes;
        self.stats
    }

    fn serve(&mut self) -> End {
        let mut configured = false;
        while !self.stop.load(Ordering::Relaxed) {
            let step = if configured {
                self.inventory_round()
            } else {
                self.configure()
            };
            match step {
                Ok(()) => configured = true,
                Err(RfidError::Disconnected(reason)) => return End::Disconnected(reason),
                Err(error) => {
                    configured = false;
                    self.stats.errors += 1;
                    tracing::warn!(reader = %self.config.name, %error, "RFID reader error");
                    if !self.send(ReaderEvent::Error {
                        reader: self.config.name.clone(),
                        message: error.to_string(),
                    }) {
                        return End::ChannelClosed;
                    }
                    self.pause(self.config.retry_delay);
                }
            }
            let ended = self.bursts.poll(Instant::now());
            if !self.send_burst(ended) {
                return End::ChannelClosed;
            }
        }
        End::Stopped
    }

    fn configure(&mut self) -> Result<(), RfidError> {
        let version = self.session.configure(&self.config.reader)?;
        let connected = ReaderEvent::Connected {
            reader: self.config.name.clone(),
            firmware: version.firmware_string(),
        };
        self.send(connected);
        Ok(())
    }

    fn inventory_round(&mut self) -> Result<(), RfidError> {
        let records = self
            .session
            .inventory(self.config.reader.search_timeout_ms)?;
        self.stats.inventories += 1;
        self.stats.tag_records += records.len() as u64;
        let (now, now_utc) = (Instant::now(), Utc::now());
        for record in &records {
            self.bursts.observe(record, now, now_utc);
        }
        Ok(())
    }

    /// Sends `burst` if there is one; false when nobody listens.
    fn send_burst(&mut self, burst: Option<Vec<AggregatedRead>>) -> bool {
        let Some(reads) = burst else {
            return true;
        };
        let count = reads.len() as u64;
        let event = ReaderEvent::Burst {
            reader: self.config.name.clone(),
            reads,
        };
        if !self.send(event) {
            return false;
        }
        self.stats.reads_sent += count;
        self.stats.bursts_sent += 1;
        true
    }

    fn send(&self, event: ReaderEvent) -> bool {
        self.events.send(event).is_ok()
    }

    /// Sleeps up to `delay`, waking early when asked to stop.
    fn pause(&self, delay: Duration) {
        let until = Instant::now() + delay;
        while !self.stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            if now >= until {
                return;
            }
            thread::sleep((until - now).min(Duration::from_millis(20)));
        }
    }
}
