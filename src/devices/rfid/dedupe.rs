//! The dedupe window: a reader sees each tag many times a second, the
//! engine wants each tag once.
//!
//! The first read of an EPC opens a window of fixed length. Reads inside
//! it only update the aggregate (last seen, count, best RSSI and the
//! antenna that got it). When the window ends the aggregate is emitted
//! once. The EPC is then remembered as reported: further reads are
//! swallowed for as long as the tag keeps being seen, and only after it
//! has been quiet for a whole window does a new read open a new window.
//! So a pallet standing at the dock is reported once, and a tag that
//! leaves and comes back is reported again. A burst that ends
//! ([`super::burst`]) ends the open windows early, with the same effect.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::tag::TagRecord;

/// Everything seen of one EPC in one window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregatedRead {
    /// The EPC bytes.
    pub epc: Vec<u8>,
    /// Monotonic time of the first read.
    pub first_seen: Instant,
    /// Wall-clock time of the first read, for the journal.
    pub first_seen_utc: DateTime<Utc>,
    /// Monotonic time of the last read.
    pub last_seen: Instant,
    /// Reads in the window (the reader's read counts summed).
    pub count: u32,
    /// Strongest RSSI seen, in dBm.
    pub best_rssi: i8,
    /// The antenna that saw the strongest reply: where the tag most
    /// likely is.
    pub antenna: u8,
}

impl AggregatedRead {
    /// The EPC as uppercase hex, the form `scan` decodes.
    pub fn epc_hex(&self) -> String {
        self.epc.iter().map(|b| format!("{b:02X}")).collect()
    }
}

#[derive(Debug)]
enum Entry {
    Collecting(AggregatedRead),
    Reported { last_seen: Instant },
}

/// Per-EPC dedupe windows. Pure: the caller supplies the clock.
#[derive(Debug)]
pub struct Dedupe {
    window: Duration,
    entries: HashMap<Vec<u8>, Entry>,
    /// Open windows in the order they opened (which is also the order
    /// they close, as every window has the same length).
    open: VecDeque<(Instant, Vec<u8>)>,
    last_sweep: Option<Instant>,
}

impl Dedupe {
    /// Windows of `window` each.
    pub fn new(window: Duration) -> Dedupe {
        Dedupe {
            window,
            entries: HashMap::new(),
            open: VecDeque::new(),
            last_sweep: None,
        }
    }

    /// Takes one tag record seen at `now` (`now_utc` on the wall clock).
    /// True when it opened a new window: a tag not in the field a moment
    /// ago, which is what keeps a burst going ([`super::burst`]).
    pub fn observe(&mut self, record: &TagRecord, now: Instant, now_utc: DateTime<Utc>) -> bool {
        let reads = u32::from(record.read_count.max(1));
        if let Some(entry) = self.entries.get_mut(record.epc.as_slice()) {
            match entry {
                Entry::Collecting(read) => {
                    read.last_seen = now;
                    read.count = read.count.saturating_add(reads);
                    if record.rssi > read.best_rssi {
                        read.best_rssi = record.rssi;
                        read.antenna = record.antenna;
                    }
                    return false;
                }
                Entry::Reported { last_seen } if now.duration_since(*last_seen) < self.window => {
                    *last_seen = now;
                    return false;
                }
                Entry::Reported { .. } => {}
            }
        }
        let read = AggregatedRead {
            epc: record.epc.clone(),
            first_seen: now,
            first_seen_utc: now_utc,
            last_seen: now,
            count: reads,
            best_rssi: record.rssi,
            antenna: record.antenna,
        };
        self.open.push_back((now, record.epc.clone()));
        self.entries
            .insert(record.epc.clone(), Entry::Collecting(read));
        true
    }

    /// The aggregates whose window has ended by `now`, oldest first.
    pub fn expire(&mut self, now: Instant) -> Vec<AggregatedRead> {
        let mut done = Vec::new();
        while let Some((opened, _)) = self.open.front() {
            if now.duration_since(*opened) < self.window {
                break;
            }
            let Some((_, epc)) = self.open.pop_front() else {
                break;
            };
            done.extend(self.report(&epc));
        }
        self.sweep(now);
        done
    }

    /// Every open aggregate, oldest first, as if all windows ended now,
    /// the EPCs remembered as reported: for a burst that has ended, so
    /// tags staying in the field are not reported again.
    pub fn report_open(&mut self) -> Vec<AggregatedRead> {
        let mut done = Vec::new();
        while let Some((_, epc)) = self.open.pop_front() {
            done.extend(self.report(&epc));
        }
        done
    }

    /// Ends the window of `epc`: its aggregate, the EPC now remembered as
    /// reported.
    fn report(&mut self, epc: &[u8]) -> Option<AggregatedRead> {
        let entry = self.entries.get_mut(epc)?;
        let Entry::Collecting(read) = entry else {
            return None;
        };
        let reported = Entry::Reported {
            last_seen: read.last_seen,
        };
        match std::mem::replace(entry, reported) {
            Entry::Collecting(read) => Some(read),
            Entry::Reported { .. } => None,
        }
    }

    /// Every open aggregate, oldest first, as if all windows ended now,
    /// and everything forgotten: for a reader that stops or disconnects,
    /// so no read is lost.
    pub fn flush(&mut self) -> Vec<AggregatedRead> {
        let mut done = Vec::new();
        while let Some((_, epc)) = self.open.pop_front() {
            if let Some(Entry::Collecting(read)) = self.entries.remove(&epc) {
                done.push(read);
            }
        }
        self.entries.clear();
        done
    }

    /// EPCs currently tracked (open or remembered as reported).
    pub fn tracked(&self) -> usize {
        self.entries.len()
    }

    /// Forgets reported EPCs that have been quiet for a window, at most
    /// once per window, so memory follows the tags actually in the field.
    fn sweep(&mut self, now: Instant) {
        if self
            .last_sweep
            .is_some_and(|last| now.duration_since(last) < self.window)
        {
            return;
        }
        self.last_sweep = Some(now);
        let window = self.window;
        self.entries.retain(|_, entry| match entry {
            Entry::Collecting(_) => true,
            Entry::Reported { last_seen } => now.duration_since(*last_seen) < window,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epc: u8, rssi: i8, antenna: u8) -> TagRecord {
        TagRecord {
            epc: vec![0x30, epc],
            pc: 0x0800,
            rssi,
            antenna,
            read_count: 1,
            reader_timestamp: None,
        }
    }

    const WINDOW: Duration = Duration::from_millis(500);

    fn ms(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    #[test]
    fn reads_in_a_window_become_one_aggregate() {
        let t0 = Instant::now();
        let utc = Utc::now();
        let mut dedupe = Dedupe::new(WINDOW);
        dedupe.observe(&record(1, -60, 1), t0, utc);
        dedupe.observe(&record(1, -48, 2), ms(t0, 100), utc);
        dedupe.observe(&record(1, -55, 1), ms(t0, 200), utc);
        dedupe.observe(&record(2, -70, 1), ms(t0, 300), utc);
        assert!(dedupe.expire(ms(t0, 499)).is_empty());

        let done = dedupe.expire(ms(t0, 500));
        assert_eq!(done.len(), 1);
        let read = &done[0];
        assert_eq!(read.epc, [0x30, 1]);
        assert_eq!(read.count, 3);
        assert_eq!((read.best_rssi, read.antenna), (-48, 2));
        assert_eq!((read.first_seen, read.last_seen), (t0, ms(t0, 200)));
        assert_eq!(read.epc_hex(), "3001");

        let done = dedupe.expire(ms(t0, 800));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].epc, [0x30, 2]);
    }

    #[test]
    fn a_tag_that_stays_is_reported_once_and_again_after_leaving() {
        let t0 = Instant::now();
        let utc = Utc::now();
        let mut dedupe = Dedupe::new(WINDOW);
        for step in 0..20 {
            dedupe.observe(&record(1, -50, 1), ms(t0, step * 100), utc);
        }
        let reported: usize = (0..20)
            .map(|s| dedupe.expire(ms(t0, s * 100 + 50)).len())
            .sum();
        assert_eq!(reported, 1);

        // Quiet from 1.9 s; back at 3 s: a new window opens.
        assert!(dedupe.expire(ms(t0, 2900)).is_empty());
        dedupe.observe(&record(1, -52, 1), ms(t0, 3000), utc);
        let done = dedupe.expire(ms(t0, 3500));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].count, 1);
    }

    #[test]
    fn read_counts_add_up_and_flush_empties_everything() {
        let t0 = Instant::now();
        let mut dedupe = Dedupe::new(WINDOW);
        let mut many = record(7, -40, 3);
        many.read_count = 12;
        dedupe.observe(&many, t0, Utc::now());
        dedupe.observe(&many, t0, Utc::now());
        let done = dedupe.flush();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].count, 24);
        assert_eq!(dedupe.tracked(), 0);
        assert!(dedupe.expire(ms(t0, 10_000)).is_empty());
    }

    #[test]
    fn report_open_ends_every_window_but_remembers_the_tags() {
        let t0 = Instant::now();
        let mut dedupe = Dedupe::new(WINDOW);
        assert!(dedupe.observe(&record(1, -50, 1), t0, Utc::now()));
        assert!(!dedupe.observe(&record(1, -40, 2), ms(t0, 100), Utc::now()));
        assert!(dedupe.observe(&record(2, -50, 1), ms(t0, 100), Utc::now()));
        let done = dedupe.report_open();
        assert_eq!(done.len(), 2);
        assert_eq!((done[0].count, done[0].best_rssi), (2, -40));
        assert!(dedupe.report_open().is_empty());
        // Still in the field: swallowed, not a new window.
        assert!(!dedupe.observe(&record(1, -50, 1), ms(t0, 300), Utc::now()));
        assert!(dedupe.expire(ms(t0, 5000)).is_empty());
        assert_eq!(dedupe.tracked(), 0);
    }

    #[test]
    fn quiet_reported_tags_are_forgotten() {
        let t0 = Instant::now();
        let mut dedupe = Dedupe::new(WINDOW);
        for epc in 0..50 {
            dedupe.observe(&record(epc, -50, 1), t0, Utc::now());
            dedupe.observe(&record(epc, -50, 1), ms(t0, 400), Utc::now());
        }
        assert_eq!(dedupe.expire(ms(t0, 500)).len(), 50);
        assert_eq!(dedupe.tracked(), 50);
        dedupe.expire(ms(t0, 1100));
        assert_eq!(dedupe.tracked(), 0);
    }
}
