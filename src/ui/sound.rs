//! Distinct sounds for the engine's answers, for operators who are looking
//! at the shelf, not the screen: accepted, warning, refused and question
//! each have their own shape (see `assets/sounds/generate.py`).
//!
//! Playing needs ALSA, so it sits behind the `sound` cargo feature; without
//! it (and on a terminal with no sound card) [`Sounds`] stays silent and the
//! screen colours carry the answer alone.

use crate::workflow::Level;

/// Which sound an answer gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Accepted: a short rising chirp.
    Ok,
    /// Recorded with a warning: two mid beeps.
    Warn,
    /// Refused: a long low buzz.
    Block,
    /// The terminal asks something: one soft tone.
    Prompt,
}

impl Cue {
    /// The cue of an answer of `level`.
    pub fn of(level: Level) -> Cue {
        match level {
            Level::Ok => Cue::Ok,
            Level::Warn => Cue::Warn,
            Level::Block => Cue::Block,
            Level::Prompt => Cue::Prompt,
        }
    }

    /// The cue's sound, a 16-bit mono WAV file bundled from `assets/sounds`.
    pub fn wav(self) -> &'static [u8] {
        match self {
            Cue::Ok => include_bytes!("../../assets/sounds/ok.wav"),
            Cue::Warn => include_bytes!("../../assets/sounds/warn.wav"),
            Cue::Block => include_bytes!("../../assets/sounds/block.wav"),
            Cue::Prompt => include_bytes!("../../assets/sounds/prompt.wav"),
        }
    }
}

/// The terminal's speaker, if it has one and sound is on. Lives on the UI
/// thread; playing never blocks (the audio library mixes on its own thread).
pub struct Sounds {
    #[cfg(feature = "sound")]
    output: Option<(rodio::OutputStream, rodio::OutputStreamHandle)>,
}

impl std::fmt::Debug for Sounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sounds")
            .field("playing", &self.is_on())
            .finish()
    }
}

impl Sounds {
    /// Opens the default sound output when `enabled` (and built with the
    /// `sound` feature); a terminal without one stays silent, with a
    /// warning in the log.
    pub fn open(enabled: bool) -> Sounds {
        #[cfg(feature = "sound")]
        {
            let output = if enabled {
                rodio::OutputStream::try_default()
                    .inspect_err(
                        |e| tracing::warn!(error = %e, "no sound output: answers are silent"),
                    )
                    .ok()
            } else {
                None
            };
            Sounds { output }
        }
        #[cfg(not(feature = "sound"))]
        {
            if enabled {
                tracing::debug!("built without the `sound` feature: answers are silent");
            }
            Sounds {}
        }
    }

    /// Whether sounds are played.
    pub fn is_on(&self) -> bool {
        #[cfg(feature = "sound")]
        {
            self.output.is_some()
        }
        #[cfg(not(feature = "sound"))]
        {
            false
        }
    }

    /// Starts `cue` and returns at once.
    pub fn play(&self, cue: Cue) {
        #[cfg(feature = "sound")]
        if let Some((_, handle)) = &self.output {
            use rodio::Source;
            let played = rodio::Decoder::new(std::io::Cursor::new(cue.wav()))
                .map_err(|e| e.to_string())
                .and_then(|sound| {
                    handle
                        .play_raw(sound.convert_samples())
                        .map_err(|e| e.to_string())
                });
            if let Err(e) = played {
                tracing::warn!(error = %e, ?cue, "cannot play the sound");
            }
        }
        #[cfg(not(feature = "sound"))]
        let _ = cue;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample data of a 16-bit mono PCM WAV file, checking its header.
    fn samples(wav: &[u8]) -> &[u8] {
        assert_eq!(&wav[0..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        let format = u16::from_le_bytes([wav[20], wav[21]]);
        let channels = u16::from_le_bytes([wav[22], wav[23]]);
        let bits = u16::from_le_bytes([wav[34], wav[35]]);
        assert_eq!((format, channels, bits), (1, 1, 16), "PCM, mono, 16 bit");
        assert_eq!(&wav[36..40], b"data");
        let length = u32::from_le_bytes([wav[40], wav[41], wav[42], wav[43]]) as usize;
        assert_eq!(wav.len(), 44 + length, "the data chunk runs to the end");
        &wav[44..]
    }

    #[test]
    fn every_level_has_its_own_short_sound() {
        let cues = [Cue::Ok, Cue::Warn, Cue::Block, Cue::Prompt];
        for (i, cue) in cues.iter().enumerate() {
            let data = samples(cue.wav());
            let rate = u32::from_le_bytes(cue.wav()[24..28].try_into().unwrap());
            let millis = data.len() as u64 * 1000 / (2 * u64::from(rate));
            assert!((100..=500).contains(&millis), "{cue:?} lasts {millis} ms");
            assert!(data.iter().any(|&b| b != 0), "{cue:?} is not silence");
            for other in &cues[i + 1..] {
                assert_ne!(cue.wav(), other.wav(), "{cue:?} and {other:?}");
            }
        }
        assert_eq!(Cue::of(Level::Block), Cue::Block);
        assert_eq!(Cue::of(Level::Prompt), Cue::Prompt);
    }

    #[test]
    fn silent_sounds_play_nothing_and_do_not_fail() {
        let sounds = Sounds::open(false);
        assert!(!sounds.is_on());
        sounds.play(Cue::Block);
    }
}
