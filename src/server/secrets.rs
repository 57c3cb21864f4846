//! Enrollment codes and bearer tokens: made from the OS's random source,
//! kept only as SHA-256 hashes, compared in constant time.
//!
//! SHA-256 (not a slow password hash) is enough because both secrets are
//! random with at least 80 bits (codes, one use) or 256 bits (tokens): there
//! is nothing to guess from a leaked hash.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The Crockford base32 alphabet: no I, L, O or U, so a code read aloud or
/// typed from a printout is not misread.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in an enrollment code (5 bits each: 80 bits).
const CODE_LEN: usize = 16;

/// The SHA-256 of a secret: what the database holds instead of the secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SecretHash(pub [u8; 32]);

impl SecretHash {
    /// Hashes `secret`.
    pub fn of(secret: &str) -> SecretHash {
        SecretHash(Sha256::digest(secret.as_bytes()).into())
    }

    /// Equality that takes the same time wherever the first difference is,
    /// so response times reveal nothing about a stored hash.
    pub fn matches(&self, other: &SecretHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl std::fmt::Debug for SecretHash {
    /// Never prints the bytes: log lines must not carry credentials, even
    /// hashed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHash(..)")
    }
}

/// The OS random source failed (no entropy available): no secret is made.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomError(getrandom::Error);

/// A new bearer token: 32 random bytes as 64 lowercase hex digits.
pub fn new_token() -> Result<String, RandomError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new one-time enrollment code, `XXXX-XXXX-XXXX-XXXX` in Crockford
/// base32.
pub fn new_enrollment_code() -> Result<String, RandomError> {
    let mut bytes = [0u8; CODE_LEN];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    let mut code = String::with_capacity(CODE_LEN + 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(CODE_ALPHABET[usize::from(b & 31)]));
    }
    Ok(code)
}

/// The hash an enrollment code is stored and looked up by. Case, dashes
/// and spaces are ignored, and the letters Crockford base32 reads as digits
/// (O → 0, I and L → 1) are mapped, so a code typed by hand still matches.
pub fn enrollment_code_hash(code: &str) -> SecretHash {
    let normalized: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    SecretHash::of(&normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_256_bit_hex() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn codes_use_the_alphabet_in_groups_and_match_when_retyped() {
        let code = new_enrollment_code().unwrap();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(
            code.bytes()
                .all(|c| c == b'-' || CODE_ALPHABET.contains(&c))
        );
        let retyped = code.to_lowercase().replace('-', " ").replace('0', "o");
        assert!(enrollment_code_hash(&retyped).matches(&enrollment_code_hash(&code)));
        assert!(!enrollment_code_hash("0000-0000-0000-0001").matches(&enrollment_code_hash(&code)));
    }

    #[test]
    fn debug_hides_the_hash() {
        assert_eq!(format!("{:?}", SecretHash::of("x")), "SecretHash(..)");
    }
}
