//! Keyboard layouts: which character a HID key usage gives, so a scanner in
//! keyboard mode configured for a German or French keyboard still reads
//! correctly.
//!
//! Only what scanners type is covered: printable characters on the main
//! block and the keypad, at the plain, Shift and AltGr levels. Dead keys
//! give no character (a scan that needs one is rejected, never guessed).

use serde::{Deserialize, Serialize};

/// A keyboard layout the host expects the scanner to emulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// US English (QWERTY).
    #[default]
    Us,
    /// German (QWERTZ).
    De,
    /// French (AZERTY).
    Fr,
}

/// Which modifier level a key is read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// No modifier.
    Plain,
    /// Shift held.
    Shift,
    /// AltGr (right Alt) held.
    AltGr,
}

/// Keys 0x04..=0x38 (letters, digits, punctuation) on a US keyboard,
/// unshifted then shifted; `\0` marks a key that is not printable.
const US_PLAIN: &str = "abcdefghijklmnopqrstuvwxyz1234567890\0\0\0\0 -=[]\\#;'`,./";
const US_SHIFT: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()\0\0\0\0 _+{}|~:\"~<>?";
const DE_PLAIN: &str = "abcdefghijklmnopqrstuvwxzy1234567890\0\0\0\0 ß\0ü+##öä\0,.-";
const DE_SHIFT: &str = "ABCDEFGHIJKLMNOPQRSTUVWXZY!\"§$%&/()=\0\0\0\0 ?\0Ü*''ÖÄ°;:_";
const FR_PLAIN: &str = "qbcdefghijkl,noparstuvzxyw&é\"'(-è_çà\0\0\0\0 )=\0$**mù²;:!";
const FR_SHIFT: &str = "QBCDEFGHIJKL?NOPARSTUVZXYW1234567890\0\0\0\0 °+\0£µµM%\0./§";
const FIRST: u8 = 0x04;

impl Layout {
    /// The character key `usage` gives at `level`, or `None` for keys with
    /// no character there (dead keys, function keys).
    pub fn char_for(self, usage: u8, level: Level) -> Option<char> {
        if let Some(c) = keypad(usage) {
            return (level != Level::AltGr).then_some(c);
        }
        if usage == 0x64 {
            return match (self, level) {
                (Layout::Us, Level::Plain) => Some('\\'),
                (Layout::Us, Level::Shift) => Some('|'),
                (_, Level::Plain) => Some('<'),
                (_, Level::Shift) => Some('>'),
                (Layout::De, Level::AltGr) => Some('|'),
                _ => None,
            };
        }
        match level {
            Level::AltGr => self.alt_gr(usage),
            Level::Plain | Level::Shift => {
                let table = match (self, level) {
                    (Layout::Us, Level::Plain) => US_PLAIN,
                    (Layout::Us, _) => US_SHIFT,
                    (Layout::De, Level::Plain) => DE_PLAIN,
                    (Layout::De, _) => DE_SHIFT,
                    (Layout::Fr, Level::Plain) => FR_PLAIN,
                    (Layout::Fr, _) => FR_SHIFT,
                };
                let index = usize::from(usage.checked_sub(FIRST)?);
                table.chars().nth(index).filter(|&c| c != '\0')
            }
        }
    }

    /// The AltGr level, which only DE and FR use.
    fn alt_gr(self, usage: u8) -> Option<char> {
        let c = match (self, usage) {
            (Layout::De, 0x14) => '@',
            (Layout::De, 0x08) => '€',
            (Layout::De, 0x10) => 'µ',
            (Layout::De, 0x1f) => '²',
            (Layout::De, 0x20) => '³',
            (Layout::De, 0x24) => '{',
            (Layout::De, 0x25) => '[',
            (Layout::De, 0x26) => ']',
            (Layout::De, 0x27) => '}',
            (Layout::De, 0x2d) => '\\',
            (Layout::De, 0x30) => '~',
            (Layout::Fr, 0x08) => '€',
            (Layout::Fr, 0x20) => '#',
            (Layout::Fr, 0x21) => '{',
            (Layout::Fr, 0x22) => '[',
            (Layout::Fr, 0x23) => '|',
            (Layout::Fr, 0x25) => '\\',
            (Layout::Fr, 0x26) => '^',
            (Layout::Fr, 0x27) => '@',
            (Layout::Fr, 0x2d) => ']',
            (Layout::Fr, 0x2e) => '}',
            (Layout::Fr, 0x30) => '¤',
            _ => return None,
        };
        Some(c)
    }
}

/// Keypad keys, which are the same in every layout (Num Lock assumed on,
/// as scanners send them for Alt codes).
pub fn keypad(usage: u8) -> Option<char> {
    match usage {
        0x54 => Some('/'),
        0x55 => Some('*'),
        0x56 => Some('-'),
        0x57 => Some('+'),
        0x59..=0x61 => Some(char::from(b'1' + (usage - 0x59))),
        0x62 => Some('0'),
        0x63 => Some('.'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_cover_the_same_keys() {
        for table in [US_PLAIN, US_SHIFT, DE_PLAIN, DE_SHIFT, FR_PLAIN, FR_SHIFT] {
            assert_eq!(table.chars().count(), 0x38 - 0x04 + 1, "{table}");
        }
    }

    #[test]
    fn us_letters_digits_and_punctuation() {
        let us = Layout::Us;
        assert_eq!(us.char_for(0x04, Level::Plain), Some('a'));
        assert_eq!(us.char_for(0x1d, Level::Shift), Some('Z'));
        assert_eq!(us.char_for(0x27, Level::Plain), Some('0'));
        assert_eq!(us.char_for(0x1f, Level::Shift), Some('@'));
        assert_eq!(us.char_for(0x30, Level::Plain), Some(']'));
        assert_eq!(us.char_for(0x2c, Level::Plain), Some(' '));
        assert_eq!(us.char_for(0x28, Level::Plain), None);
        assert_eq!(us.char_for(0x14, Level::AltGr), None);
    }

    #[test]
    fn german_swaps_y_z_and_uses_altgr() {
        let de = Layout::De;
        assert_eq!(de.char_for(0x1c, Level::Plain), Some('z'));
        assert_eq!(de.char_for(0x1d, Level::Plain), Some('y'));
        assert_eq!(de.char_for(0x38, Level::Plain), Some('-'));
        assert_eq!(de.char_for(0x24, Level::Shift), Some('/'));
        assert_eq!(de.char_for(0x14, Level::AltGr), Some('@'));
        assert_eq!(de.char_for(0x26, Level::AltGr), Some(']'));
        assert_eq!(de.char_for(0x2e, Level::Plain), None, "dead accent");
    }

    #[test]
    fn french_digits_need_shift() {
        let fr = Layout::Fr;
        assert_eq!(fr.char_for(0x04, Level::Plain), Some('q'));
        assert_eq!(fr.char_for(0x14, Level::Plain), Some('a'));
        assert_eq!(fr.char_for(0x33, Level::Plain), Some('m'));
        assert_eq!(fr.char_for(0x10, Level::Plain), Some(','));
        assert_eq!(fr.char_for(0x1e, Level::Plain), Some('&'));
        assert_eq!(fr.char_for(0x1e, Level::Shift), Some('1'));
        assert_eq!(fr.char_for(0x27, Level::Shift), Some('0'));
        assert_eq!(fr.char_for(0x27, Level::AltGr), Some('@'));
        assert_eq!(fr.char_for(0x2f, Level::Plain), None, "dead circumflex");
    }

    #[test]
    fn keypad_is_layout_independent() {
        for layout in [Layout::Us, Layout::De, Layout::Fr] {
            assert_eq!(layout.char_for(0x62, Level::Plain), Some('0'));
            assert_eq!(layout.char_for(0x5a, Level::Plain), Some('2'));
            assert_eq!(layout.char_for(0x61, Level::Plain), Some('9'));
        }
    }
}
