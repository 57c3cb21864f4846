//! How a site wants its workflows to behave: where receipts land and picks
//! go, how lots and cartons are numbered, and how strict the shelf-life rule
//! at receipt is.

use super::carton_numbering::CartonNumbering;
use super::lot_pattern::LotPattern;

/// What to do when goods arrive with less remaining shelf life than the
/// product's minimum at receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortShelfLife {
    /// Record the receipt and warn (the buyer decides later).
    Warn,
    /// Refuse the receipt (the goods go back on the truck).
    Block,
}

/// The site's workflow settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowSettings {
    /// Location code receipts are recorded to and putaway moves from.
    pub receiving_location: String,
    /// Location code picked goods are moved to (the packing station's
    /// staging area) and shipped from.
    pub packing_location: String,
    /// Pattern for lot numbers assigned when the supplier gives none.
    pub lot_pattern: LotPattern,
    /// The shelf-life rule at receipt.
    pub short_shelf_life: ShortShelfLife,
    /// How this station numbers cartons it creates; None: it has
    /// pre-printed SSCC labels only.
    pub carton_numbering: Option<CartonNumbering>,
}
