//! The cases, in the order of the Go port: `a` holds its first half, `b` its second; each case
//! lives in a module of its area.

mod a;
mod b;
mod basics;

use crate::harness::Case;

/// Every case of the suite.
pub fn all() -> Vec<Case> {
    let mut cases = basics::cases();
    cases.extend(a::cases());
    cases.extend(b::cases());
    cases
}
