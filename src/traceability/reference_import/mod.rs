//! Reference data from CSV files — products, locations, suppliers,
//! customers, purchase orders, sales orders, operators — validated as a
//! whole: every problem is reported by file, line and column, and if there
//! is any, nothing is imported. The columns are documented in
//! `docs/server-import.md`, with an example file per kind in
//! `examples/reference/`.
//!
//! Several files can be imported together (e.g. products and the orders
//! that name them): an order's GTIN, supplier or customer must be in the
//! same import or among the [`KnownKeys`] the server already has.

mod fields;
mod records;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::journal::ReferenceData;
use fields::Fields;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// Trade items and their lot rules.
    Products,
    /// Places stock can be.
    Locations,
    /// Parties goods are received from.
    Suppliers,
    /// Parties goods are shipped to.
    Customers,
    /// Purchase orders, one row per line.
    PurchaseOrders,
    /// Sales orders, one row per line.
    SalesOrders,
    /// People who may sign in.
    Operators,
}

impl ImportKind {
    /// Every kind, in the order their files are best imported.
    pub const ALL: [ImportKind; 7] = [
        ImportKind::Products,
        ImportKind::Locations,
        ImportKind::Suppliers,
        ImportKind::Customers,
        ImportKind::PurchaseOrders,
        ImportKind::SalesOrders,
        ImportKind::Operators,
    ];

    /// The name the CLI takes (`lotline-server import NAME FILE.csv`).
    pub const fn name(self) -> &'static str {
        match self {
            ImportKind::Products => "products",
            ImportKind::Locations => "locations",
            ImportKind::Suppliers => "suppliers",
            ImportKind::Customers => "customers",
            ImportKind::PurchaseOrders => "purchase-orders",
            ImportKind::SalesOrders => "sales-orders",
            ImportKind::Operators => "operators",
        }
    }

    /// The kind with this CLI name.
    pub fn from_name(name: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The header columns: (required, optional).
    pub const fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            ImportKind::Products => (
                &[
                    "gtin",
                    "description",
                    "unit",
                    "lot_tracked",
                    "expiry_tracked",
                ],
                &[
                    "min_shelf_life_receipt_days",
                    "min_shelf_life_shipment_days",
                ],
            ),
            ImportKind::Locations => (&["code", "kind"], &["barcode", "gln", "sgln", "zone"]),
            ImportKind::Suppliers | ImportKind::Customers => (&["id", "name"], &["gln"]),
            ImportKind::PurchaseOrders => (
                &[
                    "number",
                    "supplier_id",
                    "line_no",
                    "gtin",
                    "quantity",
                    "unit",
                ],
                &[],
            ),
            ImportKind::SalesOrders => (
                &[
                    "number",
                    "customer_id",
                    "ship_to",
                    "line_no",
                    "gtin",
                    "quantity",
                    "unit",
                ],
                &[],
            ),
            ImportKind::Operators => (&["badge", "name", "role"], &[]),
        }
    }
}

/// One thing wrong with an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file (as the caller named it).
    pub file: String,
    /// 1-based line number in the file.
    pub line: u64,
    /// The column, when the problem is one field's.
    pub column: Option<String>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}", self.file, self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why an import was refused: every problem found, by file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ImportReport {
    /// The problems, by file then line.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s), nothing imported:", self.problems.len())?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// Keys the server already has, which imported orders may refer to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownKeys {
    /// GTIN-14s of known products.
    pub gtins: HashSet<String>,
    /// Ids of known suppliers.
    pub suppliers: HashSet<String>,
    /// Ids of known customers.
    pub customers: HashSet<String>,
}

/// What an order row refers to, checked once every file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Product,
    Supplier,
    Customer,
}

/// A reference from a row, to check against the whole import.
#[derive(Debug, Clone)]
struct Reference {
    file: String,
    line: u64,
    column: &'static str,
    target: Target,
    key: String,
}

/// An import in progress: add files, then [`Import::finish`].
#[derive(Debug, Default)]
pub struct Import {
    known: KnownKeys,
    data: ReferenceData,
    problems: Vec<Problem>,
    /// (kind, unique key) → where it was first seen.
    seen: HashMap<(ImportKind, String), (String, u64)>,
    references: Vec<Reference>,
}

impl Import {
    /// An empty import whose orders may also refer to `known` keys.
    pub fn new(known: KnownKeys) -> Import {
        Import {
            known,
            ..Import::default()
        }
    }

    /// Reads one CSV file of `kind`; `file` names it in problems.
    pub fn add(&mut self, kind: ImportKind, file: &str, csv_text: &str) {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(csv_text.as_bytes());
        let Some(columns) = self.header(kind, file, &mut reader) else {
            return;
        };
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    let mut fields = Fields {
                        file,
                        line,
                        columns: &columns,
                        record: &record,
                        problems: &mut self.problems,
                    };
                    let parsed = records::parse(kind, &mut fields);
                    if let Some(parsed) = parsed {
                        self.accept(kind, file, line, parsed);
                    }
                }
                Err(error) => {
                    let line = error.position().map_or(0, |p| p.line());
                    self.problems.push(Problem {
                        file: file.to_owned(),
                        line,
                        column: None,
                        message: csv_problem(&error),
                    });
                    let record_skipped = matches!(
                        error.kind(),
                        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                    );
                    if !record_skipped {
                        // Anything else leaves the reader unable to find
                        // the next record reliably.
                        break;
                    }
                }
            }
        }
    }

    /// Column name → index, or `None` (with problems) if the header is not
    /// the kind's.
    fn header(
        &mut self,
        kind: ImportKind,
        file: &str,
        reader: &mut csv::Reader<&[u8]>,
    ) -> Option<HashMap<String, usize>> {
        let problem = |message: String, column: Option<String>| Problem {
            file: file.to_owned(),
            line: 1,
            column,
            message,
        };
        let header = match reader.headers() {
            Ok(header) => header.clone(),
            Err(error) => {
                self.problems.push(problem(csv_problem(&error), None));
                return None;
            }
        };
        let (required, optional) = kind.columns();
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_owned(), i))
            .collect();
        let before = self.problems.len();
        for name in required {
            if !columns.contains_key(*name) {
                self.problems.push(problem(
                    format!("the header has no {name} column"),
                    Some((*name).to_owned()),
                ));
            }
        }
        for name in header.iter() {
            if !required.contains(&name) && !optional.contains(&name) {
                self.problems.push(problem(
                    format!(
                        "unknown column {name:?} for {} (expected {})",
                        kind.name(),
                        required
                            .iter()
                            .chain(optional)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some(name.to_owned()),
                ));
            }
        }
        if columns.len() != header.len() {
            self.problems
                .push(problem("a column name appears twice".into(), None));
        }
        (self.problems.len() == before).then_some(columns)
    }

    /// Takes a valid row unless its key was seen before.
    fn accept(&mut self, kind: ImportKind, file: &str, line: u64, parsed: records::Parsed) {
        for (column, key) in parsed.unique_keys() {
            let slot = (kind, format!("{column}={key}"));
            if let Some((first_file, first_line)) = self.seen.get(&slot) {
                self.problems.push(Problem {
                    file: file.to_owned(),
                    line,
                    column: Some(column.to_owned()),
                    message: format!(
                        "duplicate {column} {key}, first on {first_file} line {first_line}"
                    ),
                });
                return;
            }
        }
        for (column, key) in parsed.unique_keys() {
            self.seen
                .insert((kind, format!("{column}={key}")), (file.to_owned(), line));
        }
        for (column, target, key) in parsed.references() {
            self.references.push(Reference {
                file: file.to_owned(),
                line,
                column,
                target,
                key,
            });
        }
        if let Err(message) = parsed.merge_into(&mut self.data) {
            self.problems.push(Problem {
                file: file.to_owned(),
                line,
                column: None,
                message,
            });
        }
    }

    /// The imported data, or every problem found and no data at all.
    pub fn finish(mut self) -> Result<ReferenceData, ImportReport> {
        let imported = |target: Target| -> HashSet<&str> {
            match target {
                Target::Product => self.data.products.iter().map(|p| p.gtin.as_str()).collect(),
                Target::Supplier => self.data.suppliers.iter().map(|s| s.id.as_str()).collect(),
                Target::Customer => self.data.customers.iter().map(|c| c.id.as_str()).collect(),
            }
        };
        let products = imported(Target::Product);
        let suppliers = imported(Target::Supplier);
        let customers = imported(Target::Customer);
        for r in &self.references {
            let (found, what) = match r.target {
                Target::Product => (
                    products.contains(r.key.as_str()) || self.known.gtins.contains(&r.key),
                    "product",
                ),
                Target::Supplier => (
                    suppliers.contains(r.key.as_str()) || self.known.suppliers.contains(&r.key),
                    "supplier",
                ),
                Target::Customer => (
                    customers.contains(r.key.as_str()) || self.known.customers.contains(&r.key),
                    "customer",
                ),
            };
            if !found {
                self.problems.push(Problem {
                    file: r.file.clone(),
                    line: r.line,
                    column: Some(r.column.to_owned()),
                    message: format!("unknown {what} {}", r.key),
                });
            }
        }
        if !self.problems.is_empty() {
            let mut problems = self.problems;
            problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            return Err(ImportReport { problems });
        }
        for order in &mut self.data.purchase_orders {
            order.lines.sort_by_key(|l| l.line_no);
        }
        for order in &mut self.data.sales_orders {
            order.lines.sort_by_key(|l| l.line_no);
        }
        Ok(self.data)
    }
}

/// A CSV syntax error in words.
fn csv_problem(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".into(),
        _ => format!("not readable as CSV: {error}"),
    }
}
