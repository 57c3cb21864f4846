//! Feeds arbitrary bytes to the scan decoder: it must never panic, whatever
//! a damaged label or a noisy serial line delivers.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use lotline::scan::{self, DecodeOptions};

fuzz_target!(|data: &[u8]| {
    let options = DecodeOptions {
        today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"),
    };
    let text = String::from_utf8_lossy(data);
    let _ = scan::decode(&text, &options);
});
