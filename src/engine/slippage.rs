//! Market impact of liquidation sales (linear price-impact model), so that cascades can happen.
//!
//! Selling `q` units at price `p` into a market of depth `D` (quote value) moves the price by
//! `Δ = q × p / D` (a fraction; buying moves it up). Impacts accumulate in `impact ∈ [−0.99, 0.99]`
//! and the market price the oracle sees is `feed_price × (1 − impact)`. Each step a share
//! `impact_recovery` of the accumulated impact fades (arbitrageurs restore the price). Within a
//! step, the engine re-observes the oracle after each liquidation round, so a forced sale that
//! pushes the price down can make more accounts liquidatable in the next round.
//! An asset with no `market_depth` is infinitely deep (no impact).

use super::error::EngineError;
use super::event::EventKind;
use super::ids::AssetId;
use super::num::{div, mul};
use super::params::config::EngineConfig;
use super::state::World;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

const MAX_IMPACT: Decimal = dec!(0.99);

/// Applies the impact of `sales` (units sold; negative = bought) and returns which assets' market
/// prices moved, with events.
pub fn apply_sales(
    cfg: &EngineConfig,
    w: &mut World,
    sales: &BTreeMap<AssetId, Decimal>,
) -> Result<(Vec<AssetId>, Vec<EventKind>), EngineError> {
    let mut moved = Vec::new();
    let mut events = Vec::new();
    for (asset, sold) in sales {
        let Some(depth) = cfg.asset(asset).and_then(|p| p.market_depth) else {
            continue;
        };
        if depth <= Decimal::ZERO || sold.is_zero() {
            continue;
        }
        let st = w.asset_mut(asset)?;
        let before = st.market_price;
        let delta = div(mul(*sold, before)?, depth)?;
        st.impact = (st.impact + delta).clamp(-MAX_IMPACT, MAX_IMPACT);
        st.market_price = mul(st.feed_price, Decimal::ONE - st.impact)?;
        if st.market_price != before {
            moved.push(asset.clone());
            events.push(EventKind::MarketImpact {
                asset: asset.clone(),
                sold: *sold,
                price_before: before,
                price_after: st.market_price,
            });
        }
    }
    Ok((moved, events))
}

/// The fraction the market moves when `size` units of `asset` trade at `price` (`size × price /
/// depth`, capped like accumulated impact); zero for an asset without a market depth.
pub fn impact_fraction(
    cfg: &EngineConfig,
    asset: &AssetId,
    size: Decimal,
    price: Decimal,
) -> Result<Decimal, EngineError> {
    let Some(depth) = cfg.asset(asset).and_then(|p| p.market_depth) else {
        return Ok(Decimal::ZERO);
    };
    if depth <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    Ok(div(mul(size.abs(), price)?, depth)?.min(MAX_IMPACT))
}

/// The average price of a market order that moves the market by `fraction` from `price`: under
/// linear impact the order walks the price the whole way, so it pays half the move on average —
/// above `price` when buying, below when selling.
pub fn market_fill_price(
    price: Decimal,
    fraction: Decimal,
    buying: bool,
) -> Result<Decimal, EngineError> {
    let half = fraction / Decimal::TWO;
    mul(
        price,
        if buying {
            Decimal::ONE + half
        } else {
            Decimal::ONE - half
        },
    )
}

/// Units that traded beyond `level` when the market moved from it to `price` (the inverse of the
/// impact: moving the price by a fraction `x` takes `x × depth / level` units); `None` for an
/// asset without a market depth (unlimited).
pub fn volume_through(
    cfg: &EngineConfig,
    asset: &AssetId,
    level: Decimal,
    price: Decimal,
) -> Result<Option<Decimal>, EngineError> {
    let Some(depth) = cfg.asset(asset).and_then(|p| p.market_depth) else {
        return Ok(None);
    };
    if depth <= Decimal::ZERO || level <= Decimal::ZERO {
        return Ok(None);
    }
    let moved = div((level - price).abs(), level)?;
    Ok(Some(div(mul(moved, depth)?, level)?))
}
