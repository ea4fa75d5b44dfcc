//! Alerts: a threshold on one metric that fires once when crossed and re-arms when it recovers
//! (checked in `Engine::step`).

use crate::engine::account::{Account, Alert};
use crate::engine::command::AlertKind;
use crate::engine::error::Rejection;
use crate::engine::event::EventKind;
use crate::engine::num::MAX_AMOUNT;
use rust_decimal::Decimal;

pub(super) fn set(
    acc: &mut Account,
    kind: AlertKind,
    threshold: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    if threshold <= Decimal::ZERO || threshold > MAX_AMOUNT {
        return Err(Rejection::InvalidThreshold(threshold));
    }
    acc.alerts.insert(
        kind,
        Alert {
            threshold,
            fired: false,
        },
    );
    Ok(vec![EventKind::AlertSet {
        account: acc.id,
        kind,
        threshold,
    }])
}
