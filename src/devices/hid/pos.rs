//! HID POS barcode scanner reports (usage page 0x8C, "Scanned Data Report").
//!
//! Scanners in HID POS mode send fixed 64-byte input reports: report ID 2,
//! the number of data bytes in this report, the three-byte AIM symbology
//! identifier, up to 56 data bytes, and a flag bit saying more reports of
//! the same scan follow. Long scans arrive as several reports; the
//! [`PosAssembler`] joins them and hands back one scan.

/// The report ID of a scanned-data input report.
pub const SCANNED_DATA_REPORT_ID: u8 = 0x02;
/// The size of a scanned-data report, report ID included.
pub const REPORT_LEN: usize = 64;
/// The data bytes one report carries at most.
pub const DATA_PER_REPORT: usize = 56;
const DATA_START: usize = 5;
const FLAGS: usize = 63;
const CONTINUED: u8 = 0x01;

/// A report that breaks the format; the scan in progress is dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PosError {
    /// Not 64 bytes.
    #[error("HID POS report of {0} bytes, expected {REPORT_LEN}")]
    WrongSize(usize),
    /// The length byte says more than a report can carry.
    #[error("HID POS report claims {0} data bytes, at most {DATA_PER_REPORT} fit")]
    BadLength(u8),
    /// The joined scan grew past the configured limit.
    #[error("HID POS scan longer than {0} bytes discarded")]
    TooLong(usize),
}

/// Joins scanned-data reports into whole scans.
#[derive(Debug, Clone)]
pub struct PosAssembler {
    max_len: usize,
    pending: Vec<u8>,
}

impl PosAssembler {
    /// An assembler that rejects scans longer than `max_len` bytes (AIM
    /// identifier included).
    pub fn new(max_len: usize) -> PosAssembler {
        PosAssembler {
            max_len,
            pending: Vec::new(),
        }
    }

    /// Takes one input report. Returns the complete scan (AIM identifier
    /// first, when the scanner sent one) once its last report arrived;
    /// reports with another ID (status, other collections) are ignored.
    pub fn push(&mut self, report: &[u8]) -> Result<Option<Vec<u8>>, PosError> {
        if report.first() != Some(&SCANNED_DATA_REPORT_ID) {
            return Ok(None);
        }
        if report.len() != REPORT_LEN {
            self.pending.clear();
            return Err(PosError::WrongSize(report.len()));
        }
        let len = report[1];
        if usize::from(len) > DATA_PER_REPORT {
            self.pending.clear();
            return Err(PosError::BadLength(len));
        }
        if self.pending.is_empty() {
            let aim = &report[2..DATA_START];
            if aim[0] == b']' {
                self.pending.extend_from_slice(aim);
            }
        }
        self.pending
            .extend_from_slice(&report[DATA_START..DATA_START + usize::from(len)]);
        if self.pending.len() > self.max_len {
            self.pending.clear();
            return Err(PosError::TooLong(self.max_len));
        }
        if report[FLAGS] & CONTINUED != 0 {
            return Ok(None);
        }
        Ok(Some(std::mem::take(&mut self.pending)))
    }

    /// The device went away: the partial scan (if any) is dropped and its
    /// size returned for the error count.
    pub fn reset(&mut self) -> Option<usize> {
        let len = std::mem::take(&mut self.pending).len();
        (len > 0).then_some(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a report as a scanner sends it.
    fn report(aim: &[u8; 3], data: &[u8], continued: bool) -> Vec<u8> {
        let mut r = vec![0u8; REPORT_LEN];
        r[0] = SCANNED_DATA_REPORT_ID;
        r[1] = data.len() as u8;
        r[2..5].copy_from_slice(aim);
        r[5..5 + data.len()].copy_from_slice(data);
        r[63] = u8::from(continued);
        r
    }

    #[test]
    fn one_report_scan_with_aim_identifier() {
        let mut a = PosAssembler::new(4096);
        let scan = a.push(&report(b"]C1", b"0109501101530003", false)).unwrap();
        assert_eq!(scan.as_deref(), Some(&b"]C10109501101530003"[..]));
    }

    #[test]
    fn scan_split_over_reports_is_joined() {
        // A recorded 2D scan of 73 bytes: 56 in the first report, 17 in the
        // second (whose AIM bytes repeat and are ignored).
        let data: Vec<u8> =
            b"0109501101530003172612311012345678\x1d21ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                .to_vec();
        assert_eq!(data.len(), 73);
        let mut a = PosAssembler::new(4096);
        assert_eq!(a.push(&report(b"]d2", &data[..56], true)).unwrap(), None);
        let scan = a
            .push(&report(b"]d2", &data[56..], false))
            .unwrap()
            .unwrap();
        assert_eq!(&scan[..3], b"]d2");
        assert_eq!(&scan[3..], &data[..]);
    }

    #[test]
    fn no_aim_identifier_means_data_only() {
        let mut a = PosAssembler::new(4096);
        let scan = a.push(&report(&[0, 0, 0], b"LOC-1", false)).unwrap();
        assert_eq!(scan.as_deref(), Some(&b"LOC-1"[..]));
    }

    #[test]
    fn bad_reports_are_errors_and_drop_the_partial_scan() {
        let mut a = PosAssembler::new(4096);
        assert_eq!(a.push(&[0x02, 1, 2]), Err(PosError::WrongSize(3)));
        a.push(&report(b"]C1", b"0109", true)).unwrap();
        let mut bad = report(b"]C1", b"", false);
        bad[1] = 57;
        assert_eq!(a.push(&bad), Err(PosError::BadLength(57)));
        // The next scan starts clean.
        let scan = a.push(&report(b"]E0", b"4006381333931", false)).unwrap();
        assert_eq!(scan.as_deref(), Some(&b"]E04006381333931"[..]));
        assert_eq!(a.push(&[0x01; 8]), Ok(None));
    }

    #[test]
    fn over_long_scan_is_refused_and_reset_reports_partials() {
        let mut a = PosAssembler::new(60);
        assert_eq!(a.push(&report(b"]d2", &[b'1'; 56], true)), Ok(None));
        assert_eq!(
            a.push(&report(b"]d2", &[b'1'; 10], true)),
            Err(PosError::TooLong(60))
        );
        assert_eq!(a.reset(), None);
        a.push(&report(b"]d2", b"12", true)).unwrap();
        assert_eq!(a.reset(), Some(5));
    }
}
