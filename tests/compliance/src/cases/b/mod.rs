//! Cases of the second half of the Go port, in its order.

use crate::harness::Case;

pub fn cases() -> Vec<Case> {
    vec![]
}
