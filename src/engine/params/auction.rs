//! Dutch auction parameters (Maker Liquidations 2.0: `clip`, `abaci`, `dog`).

use rust_decimal::{Decimal, MathematicalOps};
use serde::{Deserialize, Serialize};

/// How the auction price falls with time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceDecay {
    /// `top × (1 − elapsed / tau)`, floored at zero.
    Linear { tau_secs: i64 },
    /// `top × cut ^ floor(elapsed / step)`.
    StairstepExponential { step_secs: i64, cut: Decimal },
}

/// Auction parameters (Maker `clip` / `abacus`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuctionParams {
    /// Starting price multiplier over the oracle price.
    pub buf: Decimal,
    /// Reset after this many seconds.
    pub tail_secs: i64,
    /// Reset when the price falls below `cusp × top`.
    pub cusp: Decimal,
    pub decay: PriceDecay,
    /// Keepers buy only when the auction price is this far below the market price.
    pub keeper_discount: Decimal,
    /// Most debt-asset value keepers will spend per step (`None` = unlimited).
    pub keeper_capacity: Option<Decimal>,
    /// Flat keeper incentive per kick and redo, in the debt asset, paid by the system (`tip`).
    pub tip: Decimal,
    /// Keeper incentive per kick and redo as a share of the tab, paid by the system (`chip`).
    pub chip: Decimal,
}

impl AuctionParams {
    /// Checks the ranges the engine accepts; the message names the parameter.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |x: Decimal| x >= Decimal::ZERO && x <= Decimal::ONE;
        let decay_ok = match &self.decay {
            PriceDecay::Linear { tau_secs } => *tau_secs > 0,
            PriceDecay::StairstepExponential { step_secs, cut } => *step_secs > 0 && unit(*cut),
        };
        if self.buf <= Decimal::ZERO
            || self.buf > Decimal::TEN
            || !unit(self.cusp)
            || self.tail_secs <= 0
            || !decay_ok
            || !unit(self.keeper_discount)
            || self.keeper_capacity.is_some_and(|c| c < Decimal::ZERO)
            || self.tip < Decimal::ZERO
            || self.tip > Decimal::from(1_000_000)
            || !unit(self.chip)
        {
            return Err(
                "parameters: buf in (0, 10], cusp, cut, discount and chip fractions, \
                        positive tail/step/tau, tip between 0 and 1,000,000"
                    .into(),
            );
        }
        Ok(())
    }

    /// The auction price `elapsed` seconds after `top` was set.
    pub fn price(&self, top: Decimal, elapsed: i64) -> Decimal {
        let elapsed = elapsed.max(0);
        match &self.decay {
            PriceDecay::Linear { tau_secs } => {
                if *tau_secs <= 0 || elapsed >= *tau_secs {
                    return Decimal::ZERO;
                }
                top * (Decimal::ONE - Decimal::from(elapsed) / Decimal::from(*tau_secs))
            }
            PriceDecay::StairstepExponential { step_secs, cut } => {
                let steps = if *step_secs > 0 {
                    elapsed / step_secs
                } else {
                    0
                };
                cut.checked_powi(steps)
                    .map(|f| top * f)
                    .unwrap_or(Decimal::ZERO)
            }
        }
    }
}
