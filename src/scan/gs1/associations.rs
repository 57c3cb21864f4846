//! Rules over the combination of elements in one scan: the same AI twice,
//! invalid pairings (`ex=`) and mandatory associations (`req=`).

use super::Element;
use super::ai_table;
use crate::scan::ScanError;

/// Checks the elements of one scan together.
///
/// An AI repeated with the same value is dropped (the repeat adds nothing);
/// with a different value it is an error, as is an `ex=` pairing. Unmet
/// `req=` associations are not errors, since another symbol on the same
/// item may carry the partner AI: they come back as human-readable notes.
pub fn check(elements: &mut Vec<Element>) -> Result<Vec<String>, ScanError> {
    drop_repeats(elements)?;
    let mut notes = Vec::new();
    for element in elements.iter() {
        let Some(entry) = ai_table::lookup(&element.ai) else {
            continue;
        };
        for pattern in entry.excludes {
            if let Some(other) = elements
                .iter()
                .find(|other| other.ai != element.ai && matches(pattern, &other.ai))
            {
                return Err(ScanError::InvalidPairing {
                    ai: element.ai.clone(),
                    with: other.ai.clone(),
                });
            }
        }
        let satisfied = entry.requires.is_empty()
            || entry.requires.iter().any(|group| {
                group
                    .split('+')
                    .all(|pattern| elements.iter().any(|other| matches(pattern, &other.ai)))
            });
        if !satisfied {
            notes.push(requirement_note(&element.ai, entry.requires));
        }
    }
    Ok(notes)
}

fn drop_repeats(elements: &mut Vec<Element>) -> Result<(), ScanError> {
    let mut i = 0;
    while i < elements.len() {
        let (earlier, rest) = elements.split_at(i);
        let current = &rest[0];
        match earlier.iter().find(|e| e.ai == current.ai) {
            Some(first) if first.value != current.value => {
                return Err(ScanError::ConflictingDuplicate {
                    ai: current.ai.clone(),
                    first: first.value.clone(),
                    second: current.value.clone(),
                });
            }
            Some(_) => {
                elements.remove(i);
            }
            None => i += 1,
        }
    }
    Ok(())
}

/// True when `ai` matches a dictionary pattern such as `01`, `394n` or
/// `31nn` (`n` standing for any digit).
fn matches(pattern: &str, ai: &str) -> bool {
    pattern.len() == ai.len()
        && pattern
            .bytes()
            .zip(ai.bytes())
            .all(|(p, a)| p == a || (p == b'n' && a.is_ascii_digit()))
}

/// "AI (10) requires one of (01), (02), (03), (8006), (8026)".
fn requirement_note(ai: &str, alternatives: &[&str]) -> String {
    let described: Vec<String> = alternatives
        .iter()
        .map(|group| {
            group
                .split('+')
                .map(|p| format!("({p})"))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    match described.as_slice() {
        [only] => format!("AI ({ai}) requires {only}"),
        _ => format!("AI ({ai}) requires one of {}", described.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(pairs: &[(&str, &str)]) -> Vec<Element> {
        pairs
            .iter()
            .map(|(ai, value)| Element::new(ai, *value))
            .collect()
    }

    #[test]
    fn patterns() {
        assert!(matches("01", "01"));
        assert!(matches("310n", "3103"));
        assert!(matches("31nn", "3125"));
        assert!(!matches("31nn", "3225"));
        assert!(!matches("310n", "310"));
    }

    #[test]
    fn unmet_requirements_are_notes() {
        let mut e = elements(&[("10", "ABC")]);
        assert_eq!(
            check(&mut e),
            Ok(vec![
                "AI (10) requires one of (01), (02), (03), (8006), (8026)".to_owned()
            ])
        );
        let mut e = elements(&[("254", "X")]);
        assert_eq!(
            check(&mut e),
            Ok(vec!["AI (254) requires (414)".to_owned()])
        );
        let mut e = elements(&[("01", "09506000134352"), ("250", "X")]);
        assert_eq!(
            check(&mut e),
            Ok(vec![
                "AI (250) requires one of (01)+(21), (03)+(21), (8006)+(21)".to_owned()
            ])
        );
        let mut e = elements(&[("01", "09506000134352"), ("21", "1"), ("250", "X")]);
        assert_eq!(check(&mut e), Ok(vec![]));
        let mut e = elements(&[
            ("01", "09506000134352"),
            ("3102", "000100"),
            ("3922", "100"),
        ]);
        assert_eq!(check(&mut e), Ok(vec![]), "01+31nn satisfies 392n");
    }

    #[test]
    fn invalid_pairings_are_errors() {
        let mut e = elements(&[("01", "09506000134352"), ("02", "09506000134352")]);
        assert_eq!(
            check(&mut e),
            // (02) excludes (01); (01) does not list (02).
            Err(ScanError::InvalidPairing {
                ai: "02".into(),
                with: "01".into()
            })
        );
        let mut e = elements(&[
            ("01", "09506000134352"),
            ("3102", "000100"),
            ("3103", "000100"),
        ]);
        assert_eq!(
            check(&mut e),
            Err(ScanError::InvalidPairing {
                ai: "3102".into(),
                with: "3103".into()
            })
        );
    }

    #[test]
    fn repeats() {
        let mut e = elements(&[("01", "09506000134352"), ("10", "A"), ("10", "A")]);
        assert_eq!(check(&mut e), Ok(vec![]));
        assert_eq!(e.len(), 2);
        let mut e = elements(&[("01", "09506000134352"), ("10", "A"), ("10", "B")]);
        assert_eq!(
            check(&mut e),
            Err(ScanError::ConflictingDuplicate {
                ai: "10".into(),
                first: "A".into(),
                second: "B".into()
            })
        );
    }
}
