//! Priorities: scores (RICE, ICE, WSJF, formulas), the ranked backlog built from them, and sprint
//! planning that fills a sprint in rank order, and the next item to work on.

pub mod capacity;
pub mod formula;
pub mod next;
pub mod rank;
pub mod score;
pub mod sprint;
