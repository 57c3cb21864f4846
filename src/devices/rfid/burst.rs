//! Bursts: a pallet passing a dock door is dozens of tags read within a
//! moment, and the engine books it as one receipt, so the reader delivers
//! it as one event rather than one per tag.
//!
//! A burst opens with the first tag new to the field (a new dedupe
//! window, see [`super::dedupe`]) and stays open while new tags keep
//! appearing; it ends once no new tag has been seen for the quiet gap.
//! Tags already in the burst, or parked in the field since an earlier
//! one, are read all the time but never hold a burst open, so a pallet
//! standing at the door ends its burst as soon as it is fully read. When
//! the burst ends, every aggregate in it (windows still open included) is
//! delivered together, one per EPC; the dedupe keeps the EPCs as reported,
//! so the standing pallet is not delivered again.
//!
//! Pure, like the dedupe: the caller supplies the clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::dedupe::{AggregatedRead, Dedupe};
use super::tag::TagRecord;

/// Tag records gathered into bursts, one aggregate per EPC.
#[derive(Debug)]
pub struct Bursts {
    dedupe: Dedupe,
    quiet_gap: Duration,
    /// Aggregates of the open burst whose dedupe window already ended, in
    /// the order their EPCs were first seen.
    reads: Vec<AggregatedRead>,
    /// Where each EPC of the open burst is in `reads`.
    index: HashMap<Vec<u8>, usize>,
    /// When the open burst last saw a new tag; `None` while no burst is
    /// open.
    last_new: Option<Instant>,
}

impl Bursts {
    /// Dedupe windows of `dedupe_window`; a burst ends after `quiet_gap`
    /// without a new tag.
    pub fn new(dedupe_window: Duration, quiet_gap: Duration) -> Bursts {
        Bursts {
            dedupe: Dedupe::new(dedupe_window),
            quiet_gap,
            reads: Vec::new(),
            index: HashMap::new(),
            last_new: None,
        }
    }

    /// Takes one tag record seen at `now` (`now_utc` on the wall clock).
    pub fn observe(&mut self, record: &TagRecord, now: Instant, now_utc: DateTime<Utc>) {
        if self.dedupe.observe(record, now, now_utc) {
            self.last_new = Some(now);
        }
    }

    /// The burst that has ended by `now`, if one has: its aggregates in
    /// the order their EPCs were first seen, never empty.
    pub fn poll(&mut self, now: Instant) -> Option<Vec<AggregatedRead>> {
        let expired = self.dedupe.expire(now);
        self.add(expired);
        let last_new = self.last_new?;
        if now.duration_since(last_new) < self.quiet_gap {
            return None;
        }
        let open = self.dedupe.report_open();
        self.add(open);
        self.take()
    }

    /// The open burst as if it ended now, and everything forgotten: for a
    /// reader that stops or disconnects, so no read is lost.
    pub fn flush(&mut self) -> Option<Vec<AggregatedRead>> {
        let open = self.dedupe.flush();
        self.add(open);
        self.take()
    }

    /// Ends the open burst.
    fn take(&mut self) -> Option<Vec<AggregatedRead>> {
        self.last_new = None;
        self.index.clear();
        let reads = std::mem::take(&mut self.reads);
        (!reads.is_empty()).then_some(reads)
    }

    /// Adds finished aggregates to the open burst. An EPC already in it
    /// (a tag that left and came back while the burst went on) is merged
    /// into its first aggregate, so it never counts twice.
    fn add(&mut self, reads: Vec<AggregatedRead>) {
        for read in reads {
            match self.index.get(&read.epc) {
                Some(&at) => merge(&mut self.reads[at], read),
                None => {
                    self.index.insert(read.epc.clone(), self.reads.len());
                    self.reads.push(read);
                }
            }
        }
    }
}

/// `later`, a further aggregate of the same EPC, folded into `read`.
fn merge(read: &mut AggregatedRead, later: AggregatedRead) {
    if later.first_seen < read.first_seen {
        read.first_seen = later.first_seen;
        read.first_seen_utc = later.first_seen_utc;
    }
    read.last_seen = read.last_seen.max(later.last_seen);
    read.count = read.count.saturating_add(later.count);
    if later.best_rssi > read.best_rssi {
        read.best_rssi = later.best_rssi;
        read.antenna = later.antenna;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_millis(2000);
    const GAP: Duration = Duration::from_millis(300);

    fn record(epc: u8, rssi: i8) -> TagRecord {
        TagRecord {
            epc: vec![0x30, epc],
            pc: 0x0800,
            rssi,
            antenna: 1,
            read_count: 2,
            reader_timestamp: None,
        }
    }

    fn ms(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    /// One inventory round at `at`: every tag in `tags` read once.
    fn round(bursts: &mut Bursts, at: Instant, tags: &[(u8, i8)]) -> Option<Vec<AggregatedRead>> {
        for &(epc, rssi) in tags {
            bursts.observe(&record(epc, rssi), at, Utc::now());
        }
        bursts.poll(at)
    }

    fn epcs(reads: &[AggregatedRead]) -> Vec<u8> {
        reads.iter().map(|r| r.epc[1]).collect()
    }

    #[test]
    fn a_pallet_read_over_several_rounds_is_one_burst_once_the_field_is_quiet() {
        let t0 = Instant::now();
        let mut bursts = Bursts::new(WINDOW, GAP);
        // Cases come into range over three 250 ms rounds; the first ones
        // are read again and again, one of them stronger later.
        assert!(round(&mut bursts, t0, &[(1, -60), (2, -60)]).is_none());
        assert!(round(&mut bursts, ms(t0, 250), &[(1, -50), (2, -60), (3, -55)]).is_none());
        assert!(
            round(
                &mut bursts,
                ms(t0, 500),
                &[(1, -60), (2, -60), (3, -55), (4, -70)]
            )
            .is_none()
        );
        // The pallet stands still: only known tags, 260 ms after the last
        // new one, is not yet quiet long enough.
        let known = [(1, -60), (2, -60), (3, -55), (4, -70)];
        assert!(round(&mut bursts, ms(t0, 760), &known).is_none());
        let burst = round(&mut bursts, ms(t0, 1010), &known).expect("the burst ends");

        assert_eq!(epcs(&burst), [1, 2, 3, 4]);
        let first = &burst[0];
        assert_eq!(first.count, 5 * 2, "five rounds, two reads each");
        assert_eq!((first.first_seen, first.last_seen), (t0, ms(t0, 1010)));
        assert_eq!(first.best_rssi, -50);
        assert_eq!(burst[3].count, 3 * 2);
        // Still standing there: never delivered again.
        for step in 5..20 {
            assert!(round(&mut bursts, ms(t0, step * 250), &known).is_none());
        }
    }

    #[test]
    fn a_single_tag_is_a_burst_of_one() {
        let t0 = Instant::now();
        let mut bursts = Bursts::new(WINDOW, GAP);
        assert!(round(&mut bursts, t0, &[(9, -40)]).is_none());
        assert!(bursts.poll(ms(t0, 299)).is_none());
        let burst = bursts.poll(ms(t0, 300)).expect("quiet for the gap");
        assert_eq!(epcs(&burst), [9]);
        assert!(bursts.poll(ms(t0, 5000)).is_none());
    }

    #[test]
    fn pallets_apart_by_more_than_the_gap_are_separate_bursts() {
        let t0 = Instant::now();
        let mut bursts = Bursts::new(WINDOW, GAP);
        let first = [(1, -50), (2, -50)];
        round(&mut bursts, t0, &first);
        let one = round(&mut bursts, ms(t0, 400), &first).expect("first pallet");
        assert_eq!(epcs(&one), [1, 2]);
        // The first pallet is still in range when the second arrives:
        // only the new tags make the second burst.
        round(
            &mut bursts,
            ms(t0, 800),
            &[(1, -50), (2, -50), (3, -50), (4, -50)],
        );
        let two = round(&mut bursts, ms(t0, 1200), &first).expect("second pallet");
        assert_eq!(epcs(&two), [3, 4]);
    }

    #[test]
    fn a_tag_that_leaves_and_returns_within_a_long_burst_counts_once() {
        let t0 = Instant::now();
        // A gap longer than the dedupe window: the tag's first window
        // ends inside the burst and a second one opens when it is back.
        let mut bursts = Bursts::new(Duration::from_millis(200), Duration::from_millis(1000));
        round(&mut bursts, t0, &[(1, -70)]);
        round(&mut bursts, ms(t0, 300), &[(2, -60)]);
        round(&mut bursts, ms(t0, 700), &[(1, -45), (3, -60)]);
        assert!(bursts.poll(ms(t0, 1600)).is_none());
        let burst = bursts.poll(ms(t0, 1700)).expect("quiet for the gap");
        assert_eq!(epcs(&burst), [1, 2, 3]);
        let tag = &burst[0];
        assert_eq!(tag.count, 4);
        assert_eq!((tag.first_seen, tag.last_seen), (t0, ms(t0, 700)));
        assert_eq!(tag.best_rssi, -45);
    }

    #[test]
    fn flush_delivers_the_open_burst_and_forgets_the_field() {
        let t0 = Instant::now();
        let mut bursts = Bursts::new(WINDOW, GAP);
        round(&mut bursts, t0, &[(1, -50), (2, -50)]);
        let burst = bursts.flush().expect("the open burst");
        assert_eq!(epcs(&burst), [1, 2]);
        assert!(bursts.flush().is_none());
        // Forgotten: seen again after a restart, the tags are a new burst.
        round(&mut bursts, ms(t0, 100), &[(1, -50)]);
        assert_eq!(epcs(&bursts.poll(ms(t0, 400)).unwrap()), [1]);
    }
}
