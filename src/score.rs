//! Priority scores: RICE, ICE and WSJF from an item's own inputs.

use crate::config::Method;
use crate::model::Item;

/// The item's score under `method`, or `None` when an input is missing (or the method is MoSCoW,
/// which is a class, or a formula, which `cairn rank` evaluates).
pub fn score(item: &Item, method: Method) -> Option<f64> {
    let value = match method {
        Method::Rice => {
            let r = item.rice?;
            r.reach? * r.impact? * r.confidence? / r.effort?
        }
        Method::Ice => {
            let i = item.ice?;
            i.impact? * i.confidence? * i.ease?
        }
        Method::Wsjf => {
            let w = item.wsjf?;
            (w.business_value? + w.time_criticality? + w.risk_reduction?) / w.job_size?
        }
        Method::Moscow | Method::Formula => return None,
    };
    value.is_finite().then_some(value)
}
