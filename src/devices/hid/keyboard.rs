//! Keyboard boot-protocol reports from a scanner in keyboard mode, turned
//! back into the characters it typed.
//!
//! A boot report is 8 bytes: modifier bits, a reserved byte and up to six
//! pressed key usages. A key counts when it appears in a report and was not
//! in the previous one. Scanners send GS either as Ctrl+] or as the Alt code
//! Alt+0029 on the keypad; both come back as the GS byte.

use super::layout::{Layout, Level, keypad};
use crate::scan::GS;

/// The size of a boot-protocol keyboard report.
pub const BOOT_REPORT_LEN: usize = 8;
const LEFT_CTRL: u8 = 0x01;
const LEFT_SHIFT: u8 = 0x02;
const LEFT_ALT: u8 = 0x04;
const RIGHT_CTRL: u8 = 0x10;
const RIGHT_SHIFT: u8 = 0x20;
const RIGHT_ALT: u8 = 0x40;
const ENTER: u8 = 0x28;
const KEYPAD_ENTER: u8 = 0x58;
/// The US position of `]`, which scanners press with Ctrl for GS in every
/// layout.
const RIGHT_BRACKET: u8 = 0x30;
/// What a keyboard reports when too many keys are down at once.
const ROLLOVER: u8 = 0x01;

/// What one key press meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyed {
    /// A character (GS included).
    Char(char),
    /// Enter: the end of a scan.
    Enter,
    /// A key or Alt code that gives no character in this layout; the scan
    /// it is part of must be rejected.
    Unmapped(String),
}

/// A report that is not a boot keyboard report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("keyboard report of {0} bytes, expected {BOOT_REPORT_LEN}")]
pub struct BootReportError(pub usize);

/// Decodes a stream of boot reports with one layout.
#[derive(Debug, Clone)]
pub struct BootKeyboard {
    layout: Layout,
    previous: [u8; 6],
    /// Keypad digits typed while Alt is held.
    alt_code: String,
}

impl BootKeyboard {
    /// A decoder for a scanner emulating `layout`.
    pub fn new(layout: Layout) -> BootKeyboard {
        BootKeyboard {
            layout,
            previous: [0; 6],
            alt_code: String::new(),
        }
    }

    /// Takes one report; returns the key presses it adds.
    pub fn push(&mut self, report: &[u8]) -> Result<Vec<Keyed>, BootReportError> {
        let report: &[u8; BOOT_REPORT_LEN] = report
            .try_into()
            .map_err(|_| BootReportError(report.len()))?;
        let modifiers = report[0];
        let mut keys = [0u8; 6];
        keys.copy_from_slice(&report[2..]);
        if keys.contains(&ROLLOVER) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        if modifiers & LEFT_ALT == 0 && !self.alt_code.is_empty() {
            out.push(alt_code_char(&std::mem::take(&mut self.alt_code)));
        }
        for &usage in keys.iter().filter(|&&k| k != 0) {
            if !self.previous.contains(&usage) {
                out.extend(self.press(usage, modifiers));
            }
        }
        self.previous = keys;
        Ok(out)
    }

    /// One new key press under `modifiers`.
    fn press(&mut self, usage: u8, modifiers: u8) -> Option<Keyed> {
        let ctrl = modifiers & (LEFT_CTRL | RIGHT_CTRL) != 0;
        let shift = modifiers & (LEFT_SHIFT | RIGHT_SHIFT) != 0;
        if modifiers & LEFT_ALT != 0 && !ctrl {
            return match keypad(usage).filter(char::is_ascii_digit) {
                Some(digit) => {
                    self.alt_code.push(digit);
                    None
                }
                None => Some(unmapped(usage, modifiers)),
            };
        }
        if usage == ENTER || usage == KEYPAD_ENTER {
            return Some(Keyed::Enter);
        }
        if ctrl {
            return Some(self.control(usage, modifiers));
        }
        let level = if modifiers & RIGHT_ALT != 0 {
            Level::AltGr
        } else if shift {
            Level::Shift
        } else {
            Level::Plain
        };
        Some(match self.layout.char_for(usage, level) {
            Some(c) => Keyed::Char(c),
            None => unmapped(usage, modifiers),
        })
    }

    /// Ctrl+key: Ctrl+] is GS, Ctrl+letter the ASCII control character.
    fn control(&self, usage: u8, modifiers: u8) -> Keyed {
        if usage == RIGHT_BRACKET {
            return Keyed::Char(char::from(GS));
        }
        match self.layout.char_for(usage, Level::Plain) {
            Some(c) if c.is_ascii_lowercase() => {
                Keyed::Char(char::from(c.to_ascii_uppercase() as u8 - 0x40))
            }
            _ => unmapped(usage, modifiers),
        }
    }
}

/// The character of a completed Alt code: ASCII for 1..=127, Latin-1
/// (Windows ANSI) for 0160..=0255 written with a leading zero. Other codes
/// depend on the host's OEM code page and are refused.
fn alt_code_char(digits: &str) -> Keyed {
    let value: u32 = digits.parse().unwrap_or(u32::MAX);
    let ansi = digits.starts_with('0');
    match value {
        1..=127 => Keyed::Char(char::from(value as u8)),
        160..=255 if ansi => Keyed::Char(char::from(value as u8)),
        _ => Keyed::Unmapped(format!("Alt code {digits}")),
    }
}

fn unmapped(usage: u8, modifiers: u8) -> Keyed {
    Keyed::Unmapped(format!(
        "key usage 0x{usage:02X} with modifiers 0x{modifiers:02X}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plays a recorded report sequence and collects the characters, with
    /// Enter as `\r`.
    fn play(layout: Layout, reports: &[[u8; 8]]) -> String {
        let mut keyboard = BootKeyboard::new(layout);
        let mut text = String::new();
        for report in reports {
            for key in keyboard.push(report).unwrap() {
                match key {
                    Keyed::Char(c) => text.push(c),
                    Keyed::Enter => text.push('\r'),
                    Keyed::Unmapped(what) => panic!("unmapped {what}"),
                }
            }
        }
        text
    }

    /// A press and a release of one key, as scanners send them.
    fn tap(modifiers: u8, usage: u8) -> [[u8; 8]; 2] {
        [[modifiers, 0, usage, 0, 0, 0, 0, 0], [0; 8]]
    }

    fn taps(keys: &[(u8, u8)]) -> Vec<[u8; 8]> {
        keys.iter().flat_map(|&(m, u)| tap(m, u)).collect()
    }

    #[test]
    fn us_scan_with_ctrl_bracket_gs() {
        // "01" "1" GS "10A" Enter.
        let reports = taps(&[
            (0, 0x27),
            (0, 0x1e),
            (0, 0x1e),
            (LEFT_CTRL, 0x30),
            (0, 0x1e),
            (0, 0x27),
            (LEFT_SHIFT, 0x04),
            (0, 0x28),
        ]);
        assert_eq!(play(Layout::Us, &reports), "011\x1d10A\r");
    }

    #[test]
    fn german_layout_with_shift_and_altgr() {
        // "Zy-7/@" then Enter on a German keyboard.
        let reports = taps(&[
            (LEFT_SHIFT, 0x1c),
            (0, 0x1d),
            (0, 0x38),
            (0, 0x24),
            (RIGHT_SHIFT, 0x24),
            (RIGHT_ALT, 0x14),
            (0, 0x58),
        ]);
        assert_eq!(play(Layout::De, &reports), "Zy-7/@\r");
    }

    #[test]
    fn french_layout_digits_and_alt_code_gs() {
        // Digits need Shift on AZERTY; GS arrives as Alt+0029 on the keypad.
        let mut reports = taps(&[(LEFT_SHIFT, 0x27), (LEFT_SHIFT, 0x1e)]);
        reports.extend([
            [LEFT_ALT, 0, 0, 0, 0, 0, 0, 0],
            [LEFT_ALT, 0, 0x62, 0, 0, 0, 0, 0],
            [LEFT_ALT, 0, 0, 0, 0, 0, 0, 0],
            [LEFT_ALT, 0, 0x62, 0, 0, 0, 0, 0],
            [LEFT_ALT, 0, 0, 0, 0, 0, 0, 0],
            [LEFT_ALT, 0, 0x5a, 0, 0, 0, 0, 0],
            [LEFT_ALT, 0, 0x61, 0, 0, 0, 0, 0],
            [0; 8],
        ]);
        reports.extend(taps(&[(0, 0x14), (0, 0x10), (0, 0x28)]));
        assert_eq!(play(Layout::Fr, &reports), "01\x1da,\r");
    }

    #[test]
    fn held_keys_and_rollover_do_not_repeat() {
        let reports = [
            [0, 0, 0x04, 0, 0, 0, 0, 0],
            [0, 0, 0x04, 0x05, 0, 0, 0, 0],
            [0, 0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01],
            [0, 0, 0x05, 0, 0, 0, 0, 0],
            [0; 8],
        ];
        assert_eq!(play(Layout::Us, &reports), "ab");
    }

    #[test]
    fn unmapped_keys_and_bad_reports_are_reported() {
        let mut keyboard = BootKeyboard::new(Layout::De);
        assert_eq!(keyboard.push(&[0; 3]), Err(BootReportError(3)));
        let dead = keyboard.push(&[0, 0, 0x2e, 0, 0, 0, 0, 0]).unwrap();
        assert!(matches!(&dead[..], [Keyed::Unmapped(what)] if what.contains("0x2E")));
        keyboard.push(&[LEFT_ALT, 0, 0x5f, 0, 0, 0, 0, 0]).unwrap();
        keyboard.push(&[LEFT_ALT, 0, 0x5e, 0, 0, 0, 0, 0]).unwrap();
        keyboard.push(&[LEFT_ALT, 0, 0x5f, 0, 0, 0, 0, 0]).unwrap();
        let oem = keyboard.push(&[0; 8]).unwrap();
        assert_eq!(oem, [Keyed::Unmapped("Alt code 767".into())]);
        let ctrl = keyboard.push(&[LEFT_CTRL, 0, 0x1e, 0, 0, 0, 0, 0]).unwrap();
        assert!(matches!(&ctrl[..], [Keyed::Unmapped(_)]));
    }

    #[test]
    fn ctrl_letters_are_ascii_controls_and_latin1_alt_codes_work() {
        assert_eq!(alt_code_char("0233"), Keyed::Char('é'));
        assert!(matches!(alt_code_char("233"), Keyed::Unmapped(_)));
        let mut keyboard = BootKeyboard::new(Layout::Us);
        let out = keyboard
            .push(&[RIGHT_CTRL, 0, 0x07, 0, 0, 0, 0, 0])
            .unwrap();
        assert_eq!(out, [Keyed::Char('\u{4}')]);
    }
}
