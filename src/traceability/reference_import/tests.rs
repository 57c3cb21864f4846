//! One test per rule of the reference import.

use super::*;
use crate::journal::LocationKind;

const PRODUCTS: &str = "\
gtin,description,unit,lot_tracked,expiry_tracked,min_shelf_life_receipt_days,min_shelf_life_shipment_days
09506000134352,Greek yoghurt 500 g,EA,true,true,10,5
4006381333931,\"Butter, salted 250 g\",EA,yes,no,,
";

fn import(kind: ImportKind, text: &str) -> Result<ReferenceData, ImportReport> {
    let mut import = Import::new(KnownKeys::default());
    import.add(kind, "file.csv", text);
    import.finish()
}

/// The problems of an import expected to fail, as (line, column).
fn problems(kind: ImportKind, text: &str) -> Vec<(u64, Option<String>, String)> {
    import(kind, text)
        .expect_err("the import should fail")
        .problems
        .into_iter()
        .map(|p| (p.line, p.column, p.message))
        .collect()
}

fn at(problems: &[(u64, Option<String>, String)]) -> Vec<(u64, Option<&str>)> {
    problems
        .iter()
        .map(|(l, c, _)| (*l, c.as_deref()))
        .collect()
}

#[test]
fn valid_products_are_imported_with_gtins_as_gtin_14() {
    let data = import(ImportKind::Products, PRODUCTS).unwrap();
    assert_eq!(data.products.len(), 2);
    assert_eq!(data.products[0].min_shelf_life_receipt_days, Some(10));
    assert_eq!(data.products[1].gtin, "04006381333931");
    assert_eq!(data.products[1].description, "Butter, salted 250 g");
    assert!(!data.products[1].expiry_tracked);
}

#[test]
fn every_bad_field_is_reported_with_line_and_column() {
    let text = "\
gtin,description,unit,lot_tracked,expiry_tracked
09506000134353,Yoghurt,EA,true,true
09506000134352,,each,maybe,true
";
    let found = problems(ImportKind::Products, text);
    assert_eq!(
        at(&found),
        [
            (2, Some("gtin")),
            (3, Some("description")),
            (3, Some("unit")),
            (3, Some("lot_tracked")),
        ]
    );
    assert!(found[0].2.contains("check digit"), "{found:?}");
}

#[test]
fn shelf_life_without_expiry_tracking_is_refused() {
    let text = "\
gtin,description,unit,lot_tracked,expiry_tracked,min_shelf_life_receipt_days
09506000134352,Yoghurt,EA,true,false,10
";
    assert_eq!(
        at(&problems(ImportKind::Products, text)),
        [(2, Some("expiry_tracked"))]
    );
}

#[test]
fn duplicate_keys_are_reported_against_the_first() {
    let text = "id,name,gln\nS1,Hill Farm,\nS2,Vale Dairy,\nS1,Hill Farm again,\n";
    let found = problems(ImportKind::Suppliers, text);
    assert_eq!(at(&found), [(4, Some("id"))]);
    assert!(found[0].2.contains("first on file.csv line 2"), "{found:?}");
}

#[test]
fn a_missing_or_unknown_column_stops_the_file() {
    let found = problems(ImportKind::Operators, "badge,name,rol\nB-1,Ana,picker\n");
    assert_eq!(at(&found), [(1, Some("role")), (1, Some("rol"))]);
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_reported_and_the_rest_checked() {
    let text = "badge,name,role\nB-1,Ana\nB-2,,picker\nB-3,Bo,picker\n";
    let found = problems(ImportKind::Operators, text);
    assert_eq!(at(&found), [(2, None), (3, Some("name"))]);
    assert!(found[0].2.contains("2 fields where the header has 3"));
}

#[test]
fn locations_check_kind_gln_sgln_and_unique_barcodes() {
    let good = "code,kind,barcode,gln,sgln,zone\n\
                A-01,shelf,LOC-A01,0614141000005,urn:epc:id:sgln:0614141.00000.A01,A\n\
                DOCK-1,dock,,,,\n";
    let data = import(ImportKind::Locations, good).unwrap();
    assert_eq!(data.locations[0].kind, LocationKind::Shelf);
    assert_eq!(data.locations[1].barcode, None);
    let bad = "code,kind,barcode,gln,sgln\n\
               A-01,attic,,,\n\
               A-02,shelf,,0614141000006,\n\
               A-03,shelf,,,urn:epc:id:sgtin:1.2.3\n\
               A-04,shelf,LOC,,\n\
               A-05,shelf,LOC,,\n";
    assert_eq!(
        at(&problems(ImportKind::Locations, bad)),
        [
            (2, Some("kind")),
            (3, Some("gln")),
            (4, Some("sgln")),
            (6, Some("barcode"))
        ]
    );
}

#[test]
fn order_lines_join_their_order_and_are_sorted() {
    let mut import = Import::new(KnownKeys::default());
    import.add(ImportKind::Products, "products.csv", PRODUCTS);
    import.add(
        ImportKind::Suppliers,
        "suppliers.csv",
        "id,name\nS1,Hill Farm\n",
    );
    import.add(
        ImportKind::PurchaseOrders,
        "po.csv",
        "number,supplier_id,line_no,gtin,quantity,unit\n\
         PO-1,S1,2,4006381333931,12,EA\n\
         PO-1,S1,1,09506000134352,100,EA\n",
    );
    let data = import.finish().unwrap();
    assert_eq!(data.purchase_orders.len(), 1);
    let lines: Vec<(u32, &str)> = data.purchase_orders[0]
        .lines
        .iter()
        .map(|l| (l.line_no, l.gtin.as_str()))
        .collect();
    assert_eq!(lines, [(1, "09506000134352"), (2, "04006381333931")]);
}

#[test]
fn order_rows_must_agree_on_the_order_and_not_repeat_a_line() {
    let known = KnownKeys {
        gtins: ["09506000134352".to_owned()].into(),
        customers: ["C1".to_owned(), "C2".to_owned()].into(),
        ..KnownKeys::default()
    };
    let mut import = Import::new(known);
    import.add(
        ImportKind::SalesOrders,
        "so.csv",
        "number,customer_id,ship_to,line_no,gtin,quantity,unit\n\
         SO-1,C1,Leeds,1,09506000134352,5,EA\n\
         SO-1,C2,Leeds,2,09506000134352,5,EA\n\
         SO-1,C1,Leeds,1,09506000134352,7,EA\n\
         SO-1,C1,Leeds,3,09506000134352,0,EA\n",
    );
    let report = import.finish().unwrap_err();
    let found: Vec<(u64, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(3, None), (4, Some("line_no")), (5, Some("quantity"))]
    );
}

#[test]
fn references_must_be_in_the_import_or_known() {
    let mut import = Import::new(KnownKeys {
        suppliers: ["S9".to_owned()].into(),
        ..KnownKeys::default()
    });
    import.add(ImportKind::Products, "products.csv", PRODUCTS);
    import.add(
        ImportKind::PurchaseOrders,
        "po.csv",
        "number,supplier_id,line_no,gtin,quantity,unit\n\
         PO-1,S9,1,09506000134352,1,EA\n\
         PO-2,S1,1,96385074,1,EA\n",
    );
    let report = import.finish().unwrap_err();
    let text = report.to_string();
    assert!(
        text.contains("po.csv line 3, column supplier_id: unknown supplier S1"),
        "{text}"
    );
    assert!(
        text.contains("po.csv line 3, column gtin: unknown product 00000096385074"),
        "{text}"
    );
    assert_eq!(report.problems.len(), 2);
}

#[test]
fn one_bad_file_means_nothing_is_imported() {
    let mut import = Import::new(KnownKeys::default());
    import.add(ImportKind::Products, "products.csv", PRODUCTS);
    import.add(
        ImportKind::Operators,
        "operators.csv",
        "badge,name,role\nB-1,,picker\n",
    );
    let report = import.finish().unwrap_err();
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].file, "operators.csv");
}

#[test]
fn kinds_round_trip_through_their_cli_names() {
    for kind in ImportKind::ALL {
        assert_eq!(ImportKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(ImportKind::from_name("purchase_orders"), None);
}

#[test]
fn the_example_files_import_together() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reference");
    let mut import = Import::new(KnownKeys::default());
    for kind in ImportKind::ALL {
        let path = dir.join(format!("{}.csv", kind.name()));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        import.add(kind, &path.display().to_string(), &text);
    }
    let data = import.finish().unwrap_or_else(|report| panic!("{report}"));
    assert!(!data.products.is_empty() && !data.sales_orders.is_empty());
    assert!(!data.operators.is_empty() && !data.locations.is_empty());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever bytes arrive, the import answers with data or a report,
        /// never a panic.
        #[test]
        fn any_text_is_imported_or_reported(text in "\\PC{0,200}", kind in 0usize..7) {
            let _ = import(ImportKind::ALL[kind], &text);
        }

        /// A valid GTIN row imports and any one-digit change to the GTIN is
        /// reported on that line and column.
        #[test]
        fn a_changed_gtin_digit_is_caught(position in 0usize..14, delta in 1u8..10) {
            let mut gtin = b"09506000134352".to_vec();
            gtin[position] = b'0' + (gtin[position] - b'0' + delta) % 10;
            let gtin = String::from_utf8(gtin).unwrap();
            let text = format!("gtin,description,unit,lot_tracked,expiry_tracked\n{gtin},Y,EA,true,true\n");
            let found = problems(ImportKind::Products, &text);
            prop_assert_eq!(at(&found), [(2, Some("gtin"))]);
        }
    }
}
