//! Automatic lot numbers for goods whose supplier gave none, from a
//! configurable pattern such as `{yy}{doy}{site}{seq:3}`.
//!
//! Placeholders: `{yy}` / `{yyyy}` year, `{mm}` month, `{dd}` day, `{doy}`
//! day of the year (3 digits), `{site}` the site code, `{seq:N}` a sequence
//! number of N digits (1–9), which the pattern must contain so that every
//! assigned lot can be unique. Everything else is copied. Each placeholder
//! has a fixed width, so a pattern whose sample renders as a valid GS1 lot
//! (CSET 82, at most 20 characters) renders valid lots on every day.

use chrono::{Datelike, NaiveDate};

use super::manual_entry::validate_lot;

/// One piece of a parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Year2,
    Year4,
    Month,
    Day,
    DayOfYear,
    Site,
    Seq(usize),
}

/// A checked lot-number pattern with its site code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotPattern {
    pieces: Vec<Piece>,
    site: String,
    seq_width: usize,
}

impl LotPattern {
    /// Parses `pattern` for site `site`; the error says what is wrong with
    /// the pattern (for the configuration or the command line).
    pub fn parse(pattern: &str, site: &str) -> Result<LotPattern, String> {
        let mut pieces = Vec::new();
        let mut seq_width = None;
        let mut rest = pattern;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                pieces.push(Piece::Text(rest.to_owned()));
                break;
            };
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("lot pattern {pattern:?}: a '{{' is never closed"))?
                + open;
            let piece = match &rest[open + 1..close] {
                "yy" => Piece::Year2,
                "yyyy" => Piece::Year4,
                "mm" => Piece::Month,
                "dd" => Piece::Day,
                "doy" => Piece::DayOfYear,
                "site" => Piece::Site,
                name => {
                    let width = name
                        .strip_prefix("seq:")
                        .and_then(|w| w.parse::<usize>().ok())
                        .filter(|w| (1..=9).contains(w))
                        .ok_or_else(|| {
                            format!(
                                "lot pattern {pattern:?}: unknown placeholder {{{name}}} \
                                 (known: yy, yyyy, mm, dd, doy, site, seq:1 … seq:9)"
                            )
                        })?;
                    if seq_width.replace(width).is_some() {
                        return Err(format!("lot pattern {pattern:?}: {{seq}} appears twice"));
                    }
                    Piece::Seq(width)
                }
            };
            pieces.push(piece);
            rest = &rest[close + 1..];
        }
        let seq_width = seq_width.ok_or_else(|| {
            format!("lot pattern {pattern:?} has no {{seq:N}}, so its lots cannot be unique")
        })?;
        let parsed = LotPattern {
            pieces,
            site: site.to_owned(),
            seq_width,
        };
        let sample = parsed.render(NaiveDate::default(), 0);
        validate_lot(&sample).map_err(|why| format!("lot pattern {pattern:?}: {why}"))?;
        Ok(parsed)
    }

    /// The lot number for `date` and sequence number `seq`.
    fn render(&self, date: NaiveDate, seq: u64) -> String {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Year2 => format!("{:02}", date.year().rem_euclid(100)),
                Piece::Year4 => format!("{:04}", date.year()),
                Piece::Month => format!("{:02}", date.month()),
                Piece::Day => format!("{:02}", date.day()),
                Piece::DayOfYear => format!("{:03}", date.ordinal()),
                Piece::Site => self.site.clone(),
                Piece::Seq(width) => format!("{seq:0width$}"),
            })
            .collect()
    }

    /// The first lot for `date` (sequence 1, 2, …) that `is_taken` says is
    /// free; None when every sequence number of the day is used up.
    pub fn first_free<E>(
        &self,
        date: NaiveDate,
        mut is_taken: impl FnMut(&str) -> Result<bool, E>,
    ) -> Result<Option<String>, E> {
        let last = 10u64.pow(u32::try_from(self.seq_width).unwrap_or(9)) - 1;
        for seq in 1..=last {
            let lot = self.render(date, seq);
            if !is_taken(&lot)? {
                return Ok(Some(lot));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn never_taken(_: &str) -> Result<bool, ()> {
        Ok(false)
    }

    #[test]
    fn renders_every_placeholder() {
        let p = LotPattern::parse("{yy}{doy}{site}{seq:3}", "S1").unwrap();
        assert_eq!(
            p.first_free(day(), never_taken),
            Ok(Some("26329S1001".into()))
        );
        let p = LotPattern::parse("L-{yyyy}{mm}{dd}-{seq:2}", "X").unwrap();
        assert_eq!(
            p.first_free(day(), never_taken),
            Ok(Some("L-20261125-01".into()))
        );
    }

    #[test]
    fn skips_lots_already_taken_and_reports_exhaustion() {
        let p = LotPattern::parse("{doy}{seq:1}", "").unwrap();
        let taken = ["3291", "3292"];
        let first = p.first_free(day(), |lot| Ok::<_, ()>(taken.contains(&lot)));
        assert_eq!(first, Ok(Some("3293".into())));
        assert_eq!(p.first_free(day(), |_| Ok::<_, ()>(true)), Ok(None));
    }

    #[test]
    fn refuses_patterns_that_cannot_give_valid_unique_lots() {
        let err = |pattern: &str, site: &str| LotPattern::parse(pattern, site).unwrap_err();
        assert!(err("{yy}{doy}", "S").contains("no {seq:N}"));
        assert!(err("{yy}{week}{seq:2}", "S").contains("unknown placeholder {week}"));
        assert!(err("{seq:0}", "S").contains("unknown placeholder"));
        assert!(err("{seq:2}{seq:2}", "S").contains("twice"));
        assert!(err("{yy{seq:2}", "S").contains("unknown placeholder"));
        assert!(err("{seq:2", "S").contains("never closed"));
        assert!(err("{yyyy}{site}{seq:9}", "SITE-NORTH").contains("at most 20"));
        assert!(err("{site}{seq:3}", "A B").contains("CSET 82"));
    }
}
