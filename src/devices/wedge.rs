//! Keyboard-wedge scanners typing into the app: telling a scan from a
//! person at the keyboard by timing alone.
//!
//! A wedge scanner types a whole read in a few milliseconds and ends it with
//! Enter; a person types a key every 100 ms or more. The window feeds every
//! printable key and Enter here (with the time it arrived) and gets back
//! either a scan, taken wherever focus is, or keys to hand on to the
//! focused field as typing. Keys are held back at most `max_gap`, so typing
//! still feels immediate.

use std::time::{Duration, Instant};

/// The timing thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WedgeConfig {
    /// The longest pause between two keys of one scan.
    pub max_gap: Duration,
    /// The fewest characters a scan has (shorter bursts are typing, such
    /// as a fast double key press).
    pub min_len: usize,
}

impl Default for WedgeConfig {
    fn default() -> Self {
        WedgeConfig {
            max_gap: Duration::from_millis(35),
            min_len: 4,
        }
    }
}

/// A key the window saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WedgeKey {
    /// A printable character.
    Char(char),
    /// Enter or Return.
    Enter,
}

/// What the classifier decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WedgeOutput {
    /// A fast burst ended by Enter: one scan's text.
    Scan(String),
    /// Keys a person typed, to pass on to the focused field in order.
    Typed(Vec<WedgeKey>),
}

/// The classifier's state: the burst held back so far.
#[derive(Debug, Clone)]
pub struct WedgeClassifier {
    config: WedgeConfig,
    burst: Vec<char>,
    last: Option<Instant>,
}

impl WedgeClassifier {
    /// A classifier with `config`'s thresholds.
    pub fn new(config: WedgeConfig) -> WedgeClassifier {
        WedgeClassifier {
            config,
            burst: Vec::new(),
            last: None,
        }
    }

    /// Takes one key that arrived at `at`; returns what it decided, in
    /// order (typing released by a slow gap comes before a new decision).
    pub fn key(&mut self, key: WedgeKey, at: Instant) -> Vec<WedgeOutput> {
        let mut out: Vec<WedgeOutput> = self.poll(at).into_iter().collect();
        match key {
            WedgeKey::Char(c) => {
                self.burst.push(c);
                self.last = Some(at);
            }
            WedgeKey::Enter => {
                self.last = None;
                let burst = std::mem::take(&mut self.burst);
                if burst.len() >= self.config.min_len {
                    out.push(WedgeOutput::Scan(burst.into_iter().collect()));
                } else {
                    let mut keys = typed(burst);
                    keys.push(WedgeKey::Enter);
                    out.push(WedgeOutput::Typed(keys));
                }
            }
        }
        out
    }

    /// True while keys of a possible scan are held back.
    pub fn is_holding(&self) -> bool {
        !self.burst.is_empty()
    }

    /// Releases held keys as typing now: a key no scanner sends (Backspace,
    /// an arrow) came, so no scan is under way.
    pub fn release(&mut self) -> Option<WedgeOutput> {
        self.last = None;
        let burst = std::mem::take(&mut self.burst);
        (!burst.is_empty()).then(|| WedgeOutput::Typed(typed(burst)))
    }

    /// Releases held keys as typing once the keyboard has been quiet longer
    /// than a scan allows; call it from a timer every few milliseconds.
    pub fn poll(&mut self, now: Instant) -> Option<WedgeOutput> {
        let last = self.last?;
        if now.saturating_duration_since(last) <= self.config.max_gap {
            return None;
        }
        self.last = None;
        Some(WedgeOutput::Typed(typed(std::mem::take(&mut self.burst))))
    }
}

fn typed(chars: Vec<char>) -> Vec<WedgeKey> {
    chars.into_iter().map(WedgeKey::Char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `text` (with `\n` as Enter) with `gap` between keys.
    fn feed(w: &mut WedgeClassifier, t: &mut Instant, text: &str, gap: u64) -> Vec<WedgeOutput> {
        let mut out = Vec::new();
        for c in text.chars() {
            *t += Duration::from_millis(gap);
            let key = if c == '\n' {
                WedgeKey::Enter
            } else {
                WedgeKey::Char(c)
            };
            out.extend(w.key(key, *t));
        }
        out
    }

    fn chars(text: &str) -> Vec<WedgeKey> {
        text.chars().map(WedgeKey::Char).collect()
    }

    #[test]
    fn held_keys_can_be_released_at_once() {
        let mut w = WedgeClassifier::new(WedgeConfig::default());
        let t = Instant::now();
        assert!(!w.is_holding() && w.release().is_none());
        assert!(w.key(WedgeKey::Char('1'), t).is_empty());
        assert!(w.is_holding());
        assert_eq!(w.release(), Some(WedgeOutput::Typed(chars("1"))));
        assert!(!w.is_holding());
        assert_eq!(
            w.poll(t + Duration::from_secs(1)),
            None,
            "nothing left to release"
        );
    }

    #[test]
    fn a_fast_burst_ended_by_enter_is_a_scan() {
        let mut w = WedgeClassifier::new(WedgeConfig::default());
        let mut t = Instant::now();
        let out = feed(&mut w, &mut t, "0109501101530003\n", 4);
        assert_eq!(out, [WedgeOutput::Scan("0109501101530003".into())]);
    }

    #[test]
    fn a_person_typing_is_passed_on_key_by_key() {
        let mut w = WedgeClassifier::new(WedgeConfig::default());
        let mut t = Instant::now();
        let out = feed(&mut w, &mut t, "12\n", 150);
        assert_eq!(
            out,
            [
                WedgeOutput::Typed(chars("1")),
                WedgeOutput::Typed(chars("2")),
                WedgeOutput::Typed(vec![WedgeKey::Enter]),
            ]
        );
    }

    #[test]
    fn held_keys_are_released_by_the_timer() {
        let mut w = WedgeClassifier::new(WedgeConfig::default());
        let t = Instant::now();
        assert!(w.key(WedgeKey::Char('x'), t).is_empty());
        assert_eq!(w.poll(t + Duration::from_millis(30)), None);
        assert_eq!(
            w.poll(t + Duration::from_millis(36)),
            Some(WedgeOutput::Typed(chars("x")))
        );
        assert_eq!(w.poll(t + Duration::from_millis(100)), None);
    }

    #[test]
    fn a_short_fast_burst_is_typing() {
        let mut w = WedgeClassifier::new(WedgeConfig::default());
        let mut t = Instant::now();
        let out = feed(&mut w, &mut t, "ab\n", 5);
        assert_eq!(
            out,
            [WedgeOutput::Typed(vec![
                WedgeKey::Char('a'),
                WedgeKey::Char('b'),
                WedgeKey::Enter
            ])]
        );
    }

    #[test]
    fn typing_then_a_scan_are_told_apart() {
        let config = WedgeConfig {
            max_gap: Duration::from_millis(20),
            min_len: 3,
        };
        let mut w = WedgeClassifier::new(config);
        let mut t = Instant::now();
        let mut out = feed(&mut w, &mut t, "qt", 200);
        t += Duration::from_millis(300);
        out.extend(feed(&mut w, &mut t, "LOC-A-01\n", 10));
        assert_eq!(
            out,
            [
                WedgeOutput::Typed(chars("q")),
                WedgeOutput::Typed(chars("t")),
                WedgeOutput::Scan("LOC-A-01".into()),
            ]
        );
    }

    #[test]
    fn a_slow_enter_after_a_burst_is_typing() {
        let mut w = WedgeClassifier::new(WedgeConfig::default());
        let mut t = Instant::now();
        let mut out = feed(&mut w, &mut t, "ABCDEF", 5);
        out.extend(feed(&mut w, &mut t, "\n", 400));
        assert_eq!(
            out,
            [
                WedgeOutput::Typed(chars("ABCDEF")),
                WedgeOutput::Typed(vec![WedgeKey::Enter]),
            ]
        );
    }
}
