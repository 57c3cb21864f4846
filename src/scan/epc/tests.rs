//! Tests of the EPC module as a whole: the TDS's own examples, every
//! partition of every scheme, boundaries, characters and escapes, errors,
//! and property tests.

use proptest::prelude::*;

use super::bits::BitWriter;
use super::partition::Partition;
use super::*;
use crate::scan::check_digit::CSET82;

/// One EPC in all its forms.
struct Example {
    hex: &'static str,
    tag_uri: &'static str,
    id_uri: &'static str,
    elements: &'static [(&'static str, &'static str)],
}

/// The examples of TDS 2.x Appendix E.3 (company prefixes 9521141, 952012,
/// 95060001343), plus the long-standing SGTIN-96 example of section 14 and
/// an SGTIN-198 with an 8-digit company prefix (partition 4).
const EXAMPLES: &[Example] = &[
    Example {
        hex: "3074257BF7194E4000001A85",
        tag_uri: "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        id_uri: "urn:epc:id:sgtin:0614141.812345.6789",
        elements: &[("01", "80614141123458"), ("21", "6789")],
    },
    Example {
        hex: "3066C4409047E140075BCD15",
        tag_uri: "urn:epc:tag:sgtin-96:3.95060001343.05.123456789",
        id_uri: "urn:epc:id:sgtin:95060001343.05.123456789",
        elements: &[("01", "09506000134352"), ("21", "123456789")],
    },
    Example {
        hex: "3666C4409047E159B2C2BF100000000000000000000000000000",
        tag_uri: "urn:epc:tag:sgtin-198:3.95060001343.05.32a%2Fb",
        id_uri: "urn:epc:id:sgtin:95060001343.05.32a%2Fb",
        elements: &[("01", "09506000134352"), ("21", "32a/b")],
    },
    Example {
        hex: "36300001DB011169E5E5A70EC000000000000000000000000000",
        tag_uri: "urn:epc:tag:sgtin-198:1.00000950.01093.Serial",
        id_uri: "urn:epc:id:sgtin:00000950.01093.Serial",
        elements: &[("01", "00000095010939"), ("21", "Serial")],
    },
    Example {
        hex: "311BA1B300CE0A6A83000000",
        tag_uri: "urn:epc:tag:sscc-96:0.952012.03456789123",
        id_uri: "urn:epc:id:sscc:952012.03456789123",
        elements: &[("00", "095201234567891235")],
    },
    Example {
        hex: "3276451FD46072000000162E",
        tag_uri: "urn:epc:tag:sgln-96:3.9521141.12345.5678",
        id_uri: "urn:epc:id:sgln:9521141.12345.5678",
        elements: &[("414", "9521141123454"), ("254", "5678")],
    },
    Example {
        hex: "3976451FD46072CD9615F8800000000000000000000000000000",
        tag_uri: "urn:epc:tag:sgln-195:3.9521141.12345.32a%2Fb",
        id_uri: "urn:epc:id:sgln:9521141.12345.32a%2Fb",
        elements: &[("414", "9521141123454"), ("254", "32a/b")],
    },
    Example {
        hex: "3376451FD40C0E400000162E",
        tag_uri: "urn:epc:tag:grai-96:3.9521141.12345.5678",
        id_uri: "urn:epc:id:grai:9521141.12345.5678",
        elements: &[("8003", "095211411234545678")],
    },
    Example {
        hex: "3776451FD40C0E59B2C2BF1000000000000000000000",
        tag_uri: "urn:epc:tag:grai-170:3.9521141.12345.32a%2Fb",
        id_uri: "urn:epc:id:grai:9521141.12345.32a%2Fb",
        elements: &[("8003", "0952114112345432a/b")],
    },
    Example {
        hex: "3476451FD40000000000162E",
        tag_uri: "urn:epc:tag:giai-96:3.9521141.5678",
        id_uri: "urn:epc:id:giai:9521141.5678",
        elements: &[("8004", "95211415678")],
    },
    Example {
        hex: "3876451FD59B2C2BF10000000000000000000000000000000000",
        tag_uri: "urn:epc:tag:giai-202:3.9521141.32a%2Fb",
        id_uri: "urn:epc:id:giai:9521141.32a%2Fb",
        elements: &[("8004", "952114132a/b")],
    },
    Example {
        hex: "3500E86F8000A9E000000586",
        tag_uri: "urn:epc:tag:gid-96:952056.2718.1414",
        id_uri: "urn:epc:id:gid:952056.2718.1414",
        elements: &[],
    },
];

fn epc_error(result: Result<Epc, ScanError>) -> String {
    match result {
        Err(ScanError::Epc(message)) => message,
        other => panic!("expected an EPC error, got {other:?}"),
    }
}

fn pairs(elements: &[Element]) -> Vec<(&str, &str)> {
    elements
        .iter()
        .map(|e| (e.ai.as_str(), e.value.as_str()))
        .collect()
}

/// Hex of raw `(value, bits)` fields, for encodings `Epc` would refuse.
/// Fields wider than 64 bits must be zero.
fn raw(fields: &[(u64, u32)]) -> String {
    let mut writer = BitWriter::new();
    let mut bits = 0;
    for &(value, width) in fields {
        assert!(width <= 64 || value == 0);
        let mut remaining = width;
        while remaining > 64 {
            writer.write(0, 64);
            remaining -= 64;
        }
        writer.write(value, remaining);
        bits += width as usize;
    }
    writer.to_hex(bits)
}

/// A company prefix of `digits` digits.
fn cp(value: u64, digits: u8) -> CompanyPrefix {
    CompanyPrefix::new(value, digits).unwrap()
}

#[test]
fn tds_examples_decode_to_their_uris_and_gs1_keys() {
    for example in EXAMPLES {
        let epc = decode_hex(example.hex).unwrap();
        assert_eq!(epc.tag_uri(), example.tag_uri);
        assert_eq!(epc.id_uri(), example.id_uri);
        assert_eq!(
            pairs(&epc.gs1_elements()),
            example.elements,
            "{}",
            example.hex
        );
        let scheme_name = example.tag_uri.split(':').nth(3).unwrap();
        assert_eq!(epc.scheme().name(), scheme_name);
        assert_eq!(decode_hex(&example.hex.to_ascii_lowercase()).unwrap(), epc);
    }
}

#[test]
fn tds_examples_encode_from_their_tag_uris() {
    for example in EXAMPLES {
        let epc = parse_tag_uri(example.tag_uri).unwrap();
        assert_eq!(epc.to_hex(), example.hex, "{}", example.tag_uri);
        assert_eq!(decode_hex(example.hex).unwrap(), epc);
    }
}

#[test]
fn sgtin_96_example_has_the_expected_structure() {
    let epc = decode_hex("3074257BF7194E4000001A85").unwrap();
    assert_eq!(epc.scheme(), Scheme::Sgtin96);
    assert_eq!(epc.filter(), Some(3));
    assert_eq!(
        *epc.id(),
        EpcId::Sgtin {
            company_prefix: cp(614141, 7),
            item_reference: 812345,
            serial: Serial::Integer(6789),
        }
    );
}

#[test]
fn longer_epc_memory_is_accepted_when_the_extra_bits_are_zero() {
    let expected = decode_hex("3074257BF7194E4000001A85").unwrap();
    assert_eq!(
        decode_hex("3074257BF7194E4000001A8500000000").unwrap(),
        expected
    );
    let message = epc_error(decode_hex("3074257BF7194E4000001A8500000001"));
    assert!(
        message.starts_with("SGTIN-96: the bits after the last field"),
        "{message}"
    );
    // 200 bits already hold an SGTIN-198; the tag's 208 are not required.
    let sgtin_198 = "3666C4409047E159B2C2BF100000000000000000000000000000";
    assert_eq!(
        decode_hex(&sgtin_198[..50]).unwrap(),
        decode_hex(sgtin_198).unwrap()
    );
}

#[test]
fn malformed_hex_is_rejected() {
    assert_eq!(epc_error(decode_hex("")), "no hex digits");
    assert_eq!(
        epc_error(decode_hex("3074257BF7194E4000001A8")),
        "odd number of hex digits (23); EPC memory is whole bytes"
    );
    assert_eq!(
        epc_error(decode_hex("3074257BF7194E4000001A8X")),
        "character 'X' at position 23 is not a hex digit"
    );
    assert_eq!(
        epc_error(decode_hex("3074257BF7194E4000001A")),
        "SGTIN-96 needs 96 bits, the EPC has 88"
    );
    assert_eq!(
        epc_error(decode_hex(
            "3666C4409047E159B2C2BF10000000000000000000000000"
        )),
        "SGTIN-198 needs 198 bits, the EPC has 192"
    );
}

#[test]
fn unsupported_headers_are_named() {
    assert_eq!(
        epc_error(decode_hex("2D76451FD4499602D2000000")),
        "unknown or unsupported EPC header 0x2D"
    );
    assert_eq!(
        epc_error(decode_hex("00")),
        "unknown or unsupported EPC header 0x00"
    );
}

#[test]
fn partition_7_is_rejected() {
    let hex = raw(&[(0x30, 8), (3, 3), (7, 3), (0, 82)]);
    assert_eq!(
        epc_error(decode_hex(&hex)),
        "SGTIN-96 partition value 7 is reserved"
    );
}

#[test]
fn values_too_large_for_their_digits_are_rejected() {
    let company_prefix = raw(&[(0x30, 8), (0, 3), (0, 3), ((1 << 40) - 1, 40), (0, 42)]);
    assert_eq!(
        epc_error(decode_hex(&company_prefix)),
        "SGTIN-96 company prefix 1099511627775 does not fit in 12 digits"
    );
    let item_reference = raw(&[(0x30, 8), (0, 3), (0, 3), (1, 40), (10, 4), (0, 38)]);
    assert_eq!(
        epc_error(decode_hex(&item_reference)),
        "SGTIN-96 item reference 10 does not fit in 1 digits (with a 12-digit company prefix)"
    );
    let serial_reference = raw(&[(0x31, 8), (0, 3), (6, 3), (1, 20), (1 << 37, 38), (0, 24)]);
    assert_eq!(
        epc_error(decode_hex(&serial_reference)),
        "SSCC-96 serial reference 137438953472 does not fit in 11 digits \
         (with a 6-digit company prefix)"
    );
    // SGLN partition 0 leaves no location reference digit: its bit must be 0.
    let location_reference = raw(&[(0x32, 8), (0, 3), (0, 3), (1, 40), (1, 1), (0, 41)]);
    assert_eq!(
        epc_error(decode_hex(&location_reference)),
        "SGLN-96 location reference 1 does not fit in 0 digits (with a 12-digit company prefix)"
    );
}

#[test]
fn sscc_reserved_bits_must_be_zero() {
    assert!(decode_hex("311BA1B300CE0A6A83000000").is_ok());
    let message = epc_error(decode_hex("311BA1B300CE0A6A83000100"));
    assert!(
        message.starts_with("SSCC-96: the bits after the last field"),
        "{message}"
    );
}

#[test]
fn seven_bit_fields_must_hold_table_a_characters() {
    let sgtin_198 = |chars: &[u64]| {
        let mut fields = vec![(0x36, 8), (0, 3), (5, 3), (614141, 24), (812345, 20)];
        fields.extend(chars.iter().map(|&c| (c, 7)));
        fields.push((0, 140 - 7 * chars.len() as u32));
        decode_hex(&raw(&fields))
    };
    assert_eq!(
        sgtin_198(&[0x41, 0x2F]).unwrap().id_uri(),
        "urn:epc:id:sgtin:0614141.812345.A%2F"
    );
    assert_eq!(
        epc_error(sgtin_198(&[0x41, 0x23])),
        "SGTIN-198 serial: character '#' at position 1 is not in the GS1 AI encodable \
         character set 82"
    );
    assert!(epc_error(sgtin_198(&[0x01])).contains("'\\u{1}' at position 0"));
    assert_eq!(epc_error(sgtin_198(&[])), "SGTIN-198 serial is empty");
    let message = epc_error(sgtin_198(&[0x41, 0, 0x42]));
    assert!(
        message.starts_with("SGTIN-198: the bits after the last field"),
        "{message}"
    );
}

#[test]
fn giai_202_asset_reference_length_follows_the_company_prefix() {
    // Partition 0: 148 bits could hold 21 characters, but AI 8004 allows
    // 30 - 12 = 18 after a 12-digit company prefix.
    let giai = |count: usize| {
        let mut fields = vec![(0x38, 8), (0, 3), (0, 3), (1, 40)];
        fields.extend(std::iter::repeat_n((u64::from(b'7'), 7), count));
        fields.push((0, 148 - 7 * count as u32));
        decode_hex(&raw(&fields))
    };
    assert_eq!(
        giai(18).unwrap().gs1_elements()[0].value,
        format!("000000000001{}", "7".repeat(18))
    );
    assert_eq!(
        epc_error(giai(19)),
        "GIAI-202 asset reference is 19 characters, at most 18 allowed"
    );
}

/// Every field at its largest for each partition of each partitioned scheme.
fn largest(scheme: Scheme, partition: u8) -> Epc {
    let p = Partition::from_value(partition, scheme.partitioned_bits().unwrap()).unwrap();
    let digits = p.company_prefix_digits;
    let company_prefix = cp(10u64.pow(u32::from(digits)) - 1, digits);
    let serial = if scheme.has_char_serial() {
        Serial::Chars("z".repeat(scheme.max_chars(digits)))
    } else {
        Serial::Integer((1 << scheme.serial_bits(&p)) - 1)
    };
    let reference = |total: u8| 10u64.pow(u32::from(total - digits)) - 1;
    let id = match scheme.id_name() {
        "sgtin" => EpcId::Sgtin {
            company_prefix,
            item_reference: reference(13),
            serial,
        },
        "sscc" => EpcId::Sscc {
            company_prefix,
            serial_reference: reference(17),
        },
        "sgln" => EpcId::Sgln {
            company_prefix,
            location_reference: reference(12),
            extension: serial,
        },
        "grai" => EpcId::Grai {
            company_prefix,
            asset_type: reference(12),
            serial,
        },
        _ => EpcId::Giai {
            company_prefix,
            asset_reference: serial,
        },
    };
    Epc::new(Some(7), id).unwrap()
}

#[test]
fn every_partition_of_every_scheme_round_trips_at_its_largest_values() {
    for scheme in Scheme::ALL.into_iter().filter(|s| s.has_filter()) {
        for partition in 0..=6u8 {
            let epc = largest(scheme, partition);
            let hex = epc.to_hex();
            let partition_bits = u8::from_str_radix(&hex[2..4], 16).unwrap() >> 2 & 0b111;
            assert_eq!(partition_bits, partition, "{scheme} partition {partition}");
            assert_eq!(
                decode_hex(&hex).unwrap(),
                epc,
                "{scheme} partition {partition}"
            );
            assert_eq!(
                parse_tag_uri(&epc.tag_uri()).unwrap(),
                epc,
                "{}",
                epc.tag_uri()
            );
            let id_uri = epc.id_uri();
            let company_prefix_field = id_uri.split(':').nth(4).unwrap().split('.').next();
            assert_eq!(
                company_prefix_field,
                Some(&"999999999999"[usize::from(partition)..])
            );
        }
    }
}

#[test]
fn one_past_the_largest_reference_is_rejected_for_every_partition() {
    for partition in 0..=6u8 {
        let digits = 12 - partition;
        let item_reference = 10u64.pow(u32::from(13 - digits));
        let id = EpcId::Sgtin {
            company_prefix: cp(0, digits),
            item_reference,
            serial: Serial::Integer(0),
        };
        let message = epc_error(Epc::new(Some(0), id));
        assert!(
            message.starts_with(&format!(
                "SGTIN-96 item reference {item_reference} does not fit"
            )),
            "{message}"
        );
    }
}

/// One GTIN and one SSCC cut at every company prefix length. The hex was
/// computed apart from this code, from the TDS layout with bit strings;
/// partition 5 of the SGTIN is the TDS's own example.
const PARTITION_VECTORS: &[(&str, &str)] = &[
    (
        "urn:epc:tag:sgtin-96:3.061414112345.8.6789",
        "3060393243F1660000001A85",
    ),
    (
        "urn:epc:tag:sgtin-96:3.06141411234.85.6789",
        "30642DC1CFF4554000001A85",
    ),
    (
        "urn:epc:tag:sgtin-96:3.0614141123.845.6789",
        "3068249B0CC3D34000001A85",
    ),
    (
        "urn:epc:tag:sgtin-96:3.061414112.8345.6789",
        "306C3A91AE08264000001A85",
    ),
    (
        "urn:epc:tag:sgtin-96:3.06141411.82345.6789",
        "30702EDAF1D06A4000001A85",
    ),
    (
        "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        "3074257BF7194E4000001A85",
    ),
    (
        "urn:epc:tag:sgtin-96:3.061414.8112345.6789",
        "30783BF99EF2364000001A85",
    ),
    (
        "urn:epc:tag:sscc-96:2.061414112345.36789",
        "3140393243F1648FB5000000",
    ),
    (
        "urn:epc:tag:sscc-96:2.06141411234.356789",
        "31442DC1CFF44571B5000000",
    ),
    (
        "urn:epc:tag:sscc-96:2.0614141123.3456789",
        "3148249B0CC334BF15000000",
    ),
    (
        "urn:epc:tag:sscc-96:2.061414112.33456789",
        "314C3A91AE01FE8295000000",
    ),
    (
        "urn:epc:tag:sscc-96:2.06141411.323456789",
        "31502EDAF193478F15000000",
    ),
    (
        "urn:epc:tag:sscc-96:2.0614141.3123456789",
        "3154257BF4BA2C2B15000000",
    ),
    (
        "urn:epc:tag:sscc-96:2.061414.31123456789",
        "31583BF9873F1A4315000000",
    ),
];

#[test]
fn every_partition_has_a_known_encoding_and_the_same_gs1_key() {
    for &(tag_uri, hex) in PARTITION_VECTORS {
        let epc = parse_tag_uri(tag_uri).unwrap();
        assert_eq!(epc.to_hex(), hex, "{tag_uri}");
        let decoded = decode_hex(hex).unwrap();
        assert_eq!(decoded.tag_uri(), tag_uri);
        let key = if tag_uri.contains("sgtin") {
            ("01", "80614141123458")
        } else {
            ("00", "306141411234567891")
        };
        assert_eq!(pairs(&decoded.gs1_elements())[0], key, "{tag_uri}");
    }
}

#[test]
fn integer_serials_are_bounded_by_their_bits() {
    let sgtin = |serial| EpcId::Sgtin {
        company_prefix: cp(614141, 7),
        item_reference: 812345,
        serial: Serial::Integer(serial),
    };
    let max = Epc::new(Some(3), sgtin((1 << 38) - 1)).unwrap();
    assert_eq!(
        max.tag_uri(),
        "urn:epc:tag:sgtin-96:3.0614141.812345.274877906943"
    );
    assert_eq!(max.to_hex(), "3074257BF7194E7FFFFFFFFF");
    assert_eq!(
        epc_error(Epc::new(Some(3), sgtin(1 << 38))),
        "SGTIN-96 serial 274877906944 does not fit in 38 bits (at most 274877906943)"
    );
    assert_eq!(
        epc_error(parse_tag_uri(
            "urn:epc:tag:sgtin-96:3.0614141.812345.274877906944"
        )),
        "SGTIN-96 serial 274877906944 does not fit in 38 bits (at most 274877906943)"
    );
    let sgln = parse_tag_uri("urn:epc:tag:sgln-96:0.0614141.12345.2199023255551").unwrap();
    assert_eq!(decode_hex(&sgln.to_hex()).unwrap(), sgln);
    assert!(parse_tag_uri("urn:epc:tag:sgln-96:0.0614141.12345.2199023255552").is_err());
    let giai = parse_tag_uri("urn:epc:tag:giai-96:0.061414.4611686018427387903").unwrap();
    assert_eq!(decode_hex(&giai.to_hex()).unwrap(), giai);
    assert!(parse_tag_uri("urn:epc:tag:giai-96:0.061414.4611686018427387904").is_err());
    assert!(parse_tag_uri("urn:epc:tag:giai-96:0.061414.99999999999999999999").is_err());
}

#[test]
fn gid_fields_are_bounded_by_their_bits() {
    let gid = parse_tag_uri("urn:epc:tag:gid-96:268435455.16777215.68719476735").unwrap();
    assert_eq!(gid.to_hex(), "35FFFFFFFFFFFFFFFFFFFFFF");
    assert_eq!(gid.filter(), None);
    assert_eq!(
        epc_error(parse_tag_uri("urn:epc:tag:gid-96:268435456.0.0")),
        "GID-96 general manager number 268435456 does not fit in 28 bits (at most 268435455)"
    );
    assert!(parse_tag_uri("urn:epc:tag:gid-96:0.16777216.0").is_err());
    assert!(parse_tag_uri("urn:epc:tag:gid-96:0.0.68719476736").is_err());
    assert!(parse_tag_uri("urn:epc:tag:gid-96:0.0.01").is_err());
}

#[test]
fn every_table_a_character_round_trips_in_binary_and_uris() {
    for chunk in CSET82.chunks(20) {
        let serial = String::from_utf8(chunk.to_vec()).unwrap();
        let id = EpcId::Sgtin {
            company_prefix: cp(614141, 7),
            item_reference: 812345,
            serial: Serial::Chars(serial.clone()),
        };
        let epc = Epc::new(Some(1), id).unwrap();
        assert_eq!(decode_hex(&epc.to_hex()).unwrap(), epc, "{serial}");
        assert_eq!(parse_tag_uri(&epc.tag_uri()).unwrap(), epc, "{serial}");
        assert_eq!(epc.gs1_elements()[1].value, serial);
    }
}

#[test]
fn uris_escape_the_seven_reserved_characters() {
    let uri = "urn:epc:tag:sgtin-198:3.0614141.812345.%22%25%26%2F%3C%3E%3F!'()*+,-.:;=_";
    let epc = parse_tag_uri(uri).unwrap();
    assert_eq!(epc.gs1_elements()[1].value, "\"%&/<>?!'()*+,-.:;=_");
    assert_eq!(epc.tag_uri(), uri);
    assert_eq!(
        epc.id_uri(),
        "urn:epc:id:sgtin:0614141.812345.%22%25%26%2F%3C%3E%3F!'()*+,-.:;=_"
    );
    let lower = parse_tag_uri("urn:epc:tag:sgtin-198:3.0614141.812345.a%2fb").unwrap();
    assert_eq!(
        lower.tag_uri(),
        "urn:epc:tag:sgtin-198:3.0614141.812345.a%2Fb"
    );
    assert_eq!(
        epc_error(parse_tag_uri("urn:epc:tag:sgtin-198:3.0614141.812345.a/b")),
        "SGTIN-198 serial: character '/' must be written %2F in an EPC URI"
    );
    assert!(
        epc_error(parse_tag_uri("urn:epc:tag:sgtin-198:3.0614141.812345.%41"))
            .contains("\"%41\" is not one of the EPC URI escapes")
    );
    assert!(
        epc_error(parse_tag_uri("urn:epc:tag:giai-202:3.0614141.a#b"))
            .contains("character '#' at position 1")
    );
}

#[test]
fn every_filter_value_round_trips() {
    for filter in 0..=7u8 {
        let uri = format!("urn:epc:tag:sgtin-96:{filter}.0614141.812345.6789");
        let epc = parse_tag_uri(&uri).unwrap();
        assert_eq!(epc.filter(), Some(filter));
        let decoded = decode_hex(&epc.to_hex()).unwrap();
        assert_eq!(decoded.filter(), Some(filter));
        assert_eq!(decoded.tag_uri(), uri);
        assert_eq!(decoded.id_uri(), "urn:epc:id:sgtin:0614141.812345.6789");
    }
    assert_eq!(
        epc_error(parse_tag_uri("urn:epc:tag:sgtin-96:8.0614141.812345.6789")),
        "SGTIN-96 filter value 8 is not 0 to 7"
    );
    assert_eq!(
        epc_error(parse_tag_uri("urn:epc:tag:sgtin-96:10.0614141.812345.6789")),
        "SGTIN-96 filter \"10\" is not a single digit"
    );
    let gid = EpcId::Gid {
        manager: 1,
        class: 2,
        serial: 3,
    };
    assert_eq!(
        epc_error(Epc::new(Some(0), gid)),
        "GID-96 has no filter value, got 0"
    );
    let sscc = EpcId::Sscc {
        company_prefix: cp(614141, 7),
        serial_reference: 1,
    };
    assert_eq!(
        epc_error(Epc::new(None, sscc)),
        "SSCC-96 needs a filter value (0 to 7)"
    );
}

#[test]
fn sgln_extension_zero_means_no_ai_254() {
    for uri in [
        "urn:epc:tag:sgln-96:1.0614141.12345.0",
        "urn:epc:tag:sgln-195:1.0614141.12345.0",
    ] {
        let epc = parse_tag_uri(uri).unwrap();
        assert_eq!(
            pairs(&epc.gs1_elements()),
            [("414", "0614141123452")],
            "{uri}"
        );
        assert_eq!(decode_hex(&epc.to_hex()).unwrap(), epc);
    }
    let padded = parse_tag_uri("urn:epc:tag:sgln-195:1.0614141.12345.00").unwrap();
    assert_eq!(
        pairs(&padded.gs1_elements()),
        [("414", "0614141123452"), ("254", "00")]
    );
    // A 12-digit company prefix leaves the location reference empty.
    let empty = parse_tag_uri("urn:epc:tag:sgln-96:1.061414112345..7").unwrap();
    assert_eq!(empty.id_uri(), "urn:epc:id:sgln:061414112345..7");
    assert_eq!(pairs(&empty.gs1_elements())[0], ("414", "0614141123452"));
}

#[test]
fn integer_serials_have_no_leading_zeros_in_uris() {
    assert_eq!(
        epc_error(parse_tag_uri("urn:epc:tag:sgtin-96:3.0614141.812345.06789")),
        "SGTIN-96 serial \"06789\" must not have leading zeros"
    );
    let alphanumeric = parse_tag_uri("urn:epc:tag:sgtin-198:3.0614141.812345.06789").unwrap();
    assert_eq!(alphanumeric.gs1_elements()[1].value, "06789");
    let zero = parse_tag_uri("urn:epc:tag:sgtin-96:3.0614141.812345.0").unwrap();
    assert_eq!(zero.gs1_elements()[1].value, "0");
}

#[test]
fn malformed_tag_uris_are_rejected_with_the_field_named() {
    let cases = [
        (
            "urn:epc:id:sgtin:0614141.812345.6789",
            "is not an EPC tag URI",
        ),
        ("urn:epc:tag:sgtin-96", "has no fields after the scheme"),
        (
            "urn:epc:tag:gsrn-96:3.0614141.1234567890",
            "unknown or unsupported EPC scheme \"gsrn-96\"",
        ),
        (
            "urn:epc:tag:sgtin-96:3.0614141",
            "SGTIN-96 tag URI has no item reference",
        ),
        (
            "urn:epc:tag:sgtin-96:3.0614141.812345",
            "SGTIN-96 tag URI has no serial",
        ),
        (
            "urn:epc:tag:sgtin-96:3.06141.8123456.1",
            "company prefix \"06141\" is not 6 to 12 digits",
        ),
        (
            "urn:epc:tag:sgtin-96:3.06141x1.812345.1",
            "company prefix \"06141x1\" is not 6 to 12",
        ),
        (
            "urn:epc:tag:sgtin-96:3.0614141.81234.6789",
            "SGTIN-96 item reference \"81234\" must have 6 digits with a 7-digit company prefix",
        ),
        (
            "urn:epc:tag:sgtin-96:3.0614141.8123a5.6789",
            "item reference \"8123a5\" is not a decimal",
        ),
        (
            "urn:epc:tag:sgtin-96:3.0614141.812345.67.89",
            "serial \"67.89\" is not a decimal integer",
        ),
        (
            "urn:epc:tag:sgtin-96:3.0614141.812345.",
            "serial \"\" is not a decimal integer",
        ),
        (
            "urn:epc:tag:sscc-96:3.0614141.123456789",
            "serial reference \"123456789\" must have 10",
        ),
        (
            "urn:epc:tag:sgtin-198:3.0614141.812345.",
            "SGTIN-198 serial is empty",
        ),
        (
            "urn:epc:tag:grai-170:3.0614141.12345.ABCDEFGHIJKLMNOPQ",
            "GRAI-170 serial is 17 characters, at most 16 allowed",
        ),
        ("urn:epc:tag:gid-96:1.2", "GID-96 tag URI has no serial"),
    ];
    for (uri, expected) in cases {
        let message = epc_error(parse_tag_uri(uri));
        assert!(message.contains(expected), "{uri}: {message}");
    }
}

#[test]
fn scans_carry_the_gs1_elements_and_identity() {
    let scan = to_scan(decode_hex("3074257BF7194E4000001A85").unwrap());
    assert_eq!(scan.kind, ScanKind::Epc);
    assert_eq!(scan.symbology, None);
    assert_eq!(
        pairs(&scan.elements),
        [("01", "80614141123458"), ("21", "6789")]
    );
    assert_eq!(scan.identity.gtin.as_deref(), Some("80614141123458"));
    assert_eq!(scan.identity.serial.as_deref(), Some("6789"));
    assert_eq!(
        scan.epc.as_ref().map(Epc::tag_uri).as_deref(),
        Some("urn:epc:tag:sgtin-96:3.0614141.812345.6789")
    );
    assert_eq!(scan.text, None);

    let sscc = to_scan(decode_hex("311BA1B300CE0A6A83000000").unwrap());
    assert_eq!(sscc.identity.sscc.as_deref(), Some("095201234567891235"));

    let sgln = to_scan(decode_hex("3276451FD46072000000162E").unwrap());
    assert_eq!(sgln.identity.gln.as_deref(), Some("9521141123454"));
    assert_eq!(sgln.identity.gln_extension.as_deref(), Some("5678"));

    let gid = to_scan(decode_hex("3500E86F8000A9E000000586").unwrap());
    assert!(gid.elements.is_empty());
    assert_eq!(gid.identity, Identity::default());
}

#[test]
fn scan_decode_dispatches_epc_reads() {
    let options = crate::scan::DecodeOptions {
        today: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    };
    let scan = crate::scan::decode("epc:3074257bf7194e4000001a85", &options).unwrap();
    assert_eq!(scan.identity.gtin.as_deref(), Some("80614141123458"));
    assert!(crate::scan::decode("epc:3074", &options).is_err());
}

#[test]
fn json_reports_scheme_filter_uris_and_hex() {
    let epc = decode_hex("3074257BF7194E4000001A85").unwrap();
    assert_eq!(
        serde_json::to_value(&epc).unwrap(),
        serde_json::json!({
            "scheme": "sgtin-96",
            "filter": 3,
            "id_uri": "urn:epc:id:sgtin:0614141.812345.6789",
            "tag_uri": "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
            "hex": "3074257BF7194E4000001A85",
        })
    );
}

/// 1 to `max` characters from Table A.
fn table_a_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CSET82.to_vec()), 1..=max)
        .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

/// Any valid EPC of any supported scheme and partition.
fn any_epc() -> impl Strategy<Value = Epc> {
    (prop::sample::select(Scheme::ALL.to_vec()), 0..=6u8, 0..=7u8).prop_flat_map(
        |(scheme, partition, filter)| {
            let Some(partitioned_bits) = scheme.partitioned_bits() else {
                return (0..1u64 << 28, 0..1u64 << 24, 0..1u64 << 36)
                    .prop_map(|(manager, class, serial)| {
                        Epc::new(
                            None,
                            EpcId::Gid {
                                manager,
                                class,
                                serial,
                            },
                        )
                        .unwrap()
                    })
                    .boxed();
            };
            let p = Partition::from_value(partition, partitioned_bits).unwrap();
            let digits = p.company_prefix_digits;
            let serial = if scheme.has_char_serial() {
                table_a_text(scheme.max_chars(digits))
                    .prop_map(Serial::Chars)
                    .boxed()
            } else {
                (0..=u64::MAX >> (64 - scheme.serial_bits(&p)))
                    .prop_map(Serial::Integer)
                    .boxed()
            };
            let total_digits = match scheme.id_name() {
                "sgtin" => 13,
                "sscc" => 17,
                _ => 12,
            };
            let references = 10u64.pow(u32::from(total_digits - digits));
            (0..10u64.pow(u32::from(digits)), 0..references, serial)
                .prop_map(move |(value, reference, serial)| {
                    let company_prefix = cp(value, digits);
                    let id = match scheme.id_name() {
                        "sgtin" => EpcId::Sgtin {
                            company_prefix,
                            item_reference: reference,
                            serial,
                        },
                        "sscc" => EpcId::Sscc {
                            company_prefix,
                            serial_reference: reference,
                        },
                        "sgln" => EpcId::Sgln {
                            company_prefix,
                            location_reference: reference,
                            extension: serial,
                        },
                        "grai" => EpcId::Grai {
                            company_prefix,
                            asset_type: reference,
                            serial,
                        },
                        _ => EpcId::Giai {
                            company_prefix,
                            asset_reference: serial,
                        },
                    };
                    Epc::new(Some(filter), id).unwrap()
                })
                .boxed()
        },
    )
}

proptest! {
    #[test]
    fn encoding_then_decoding_gives_the_same_epc(epc in any_epc()) {
        let hex = epc.to_hex();
        prop_assert_eq!(hex.len(), epc.scheme().bit_len().div_ceil(16) * 4);
        prop_assert_eq!(decode_hex(&hex)?, epc.clone());
        prop_assert_eq!(decode_hex(&hex.to_ascii_lowercase())?, epc);
    }

    #[test]
    fn tag_uris_parse_back_to_the_same_epc(epc in any_epc()) {
        let tag_uri = epc.tag_uri();
        prop_assert_eq!(parse_tag_uri(&tag_uri)?, epc.clone());
        // The pure identity is the tag URI without scheme size and filter.
        let id_uri = epc.id_uri();
        let tag_fields = tag_uri.splitn(5, ':').nth(4).unwrap();
        let tag_fields = if epc.filter().is_some() { &tag_fields[2..] } else { tag_fields };
        prop_assert_eq!(id_uri.splitn(5, ':').nth(4).unwrap(), tag_fields);
    }

    #[test]
    fn gs1_keys_have_valid_check_digits(epc in any_epc()) {
        for element in epc.gs1_elements() {
            let key = match element.ai.as_str() {
                "01" | "00" | "414" => element.value.as_str(),
                "8003" => &element.value[..14],
                _ => continue,
            };
            prop_assert!(crate::scan::check_digit::mod10_valid(key.as_bytes()), "{}", key);
        }
    }

    #[test]
    fn arbitrary_hex_never_panics(hex in "[0-9A-Fa-f]{0,130}") {
        let _ = decode_hex(&hex);
    }

    #[test]
    fn hex_with_supported_headers_never_panics(hex in "3[0-9][0-9A-F]{20,60}") {
        if let Ok(epc) = decode_hex(&hex) {
            prop_assert_eq!(decode_hex(&epc.to_hex())?, epc);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = decode_hex(&text);
        let _ = parse_tag_uri(&text);
    }

    #[test]
    fn arbitrary_tag_uris_never_panic(
        uri in "urn:epc:tag:(sgtin-96|sgtin-198|sscc-96|sgln-96|sgln-195|grai-96|grai-170|giai-96|giai-202|gid-96):[0-9.%A-Fa-z/#é]{0,40}"
    ) {
        if let Ok(epc) = parse_tag_uri(&uri) {
            prop_assert_eq!(parse_tag_uri(&epc.tag_uri())?, epc);
        }
    }
}
