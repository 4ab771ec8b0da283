//! What the demo's customers order: item kinds with unit sizes and handling needs.

/// One kind of item.
pub(super) struct Product {
    /// Shown to drivers and dispatchers.
    pub description: &'static str,
    /// Product code prefix for the item `code`.
    pub sku: &'static str,
    /// Kilograms per unit.
    pub kg: f64,
    /// Cubic metres per unit.
    pub m3: f64,
    /// Most units in one order.
    pub max_qty: u32,
    /// Driver skill the item needs, if any.
    pub skill: Option<&'static str>,
    /// Vehicle capability the item needs, if any.
    pub capability: Option<&'static str>,
    /// Whether businesses (rather than households) order it.
    pub business: bool,
}

// One positional row per product keeps the table readable.
#[allow(clippy::too_many_arguments)]
const fn p(
    description: &'static str,
    sku: &'static str,
    kg: f64,
    m3: f64,
    max_qty: u32,
    skill: Option<&'static str>,
    capability: Option<&'static str>,
    business: bool,
) -> Product {
    Product {
        description,
        sku,
        kg,
        m3,
        max_qty,
        skill,
        capability,
        business,
    }
}

/// Everything that can be ordered.
#[rustfmt::skip]
pub(super) const PRODUCTS: &[Product] = &[
    p("Parcel (small)", "PAR-S", 1.2, 0.005, 3, None, None, false),
    p("Parcel (medium)", "PAR-M", 4.0, 0.03, 2, None, None, false),
    p("Parcel (large)", "PAR-L", 11.5, 0.09, 1, None, None, false),
    p("Grocery tote", "GRO-T", 8.0, 0.04, 3, None, None, false),
    p("Chilled grocery tote", "GRO-C", 8.5, 0.04, 2, None, Some("refrigerated"), false),
    p("Flower bouquet", "FLO-B", 1.5, 0.02, 2, Some("fragile"), None, false),
    p("Wine case (6 bottles)", "WIN-6", 9.0, 0.015, 2, Some("fragile"), None, false),
    p("Laptop", "ELE-L", 2.5, 0.01, 1, Some("fragile"), None, false),
    p("Flat-pack wardrobe", "FUR-W", 62.0, 0.35, 1, Some("two-person"), Some("tail-lift"), false),
    p("Washing machine", "APP-W", 70.0, 0.4, 1, Some("two-person"), Some("tail-lift"), false),
    p("Dry-cleaning bag", "DRY-B", 2.0, 0.05, 2, None, None, false),
    p("Printer paper A4 (box of 5 reams)", "OFF-P", 12.5, 0.025, 4, None, None, true),
    p("Coffee beans 1 kg", "COF-1", 1.0, 0.002, 6, None, None, true),
    p("Medical supplies box", "MED-B", 5.0, 0.03, 3, None, None, true),
    p("Insulin cool box", "MED-C", 3.0, 0.02, 2, None, Some("refrigerated"), true),
    p("Lithium battery pack", "BAT-L", 6.0, 0.01, 2, Some("adr"), None, true),
    p("Paint tins (5 L)", "PNT-5", 6.5, 0.006, 4, Some("adr"), None, true),
    p("Office chair", "FUR-C", 15.0, 0.25, 2, None, None, true),
    p("Bread crates", "BAK-C", 9.0, 0.06, 3, None, None, true),
    p("Cleaning supplies carton", "CLN-C", 7.0, 0.03, 3, None, None, true),
];
