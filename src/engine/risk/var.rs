//! Value at risk from the engine itself.
//!
//! **Simulation methods** (Monte Carlo and historical): each price path — a list of
//! `(time, market prices)` after the current moment — is replayed through a working copy of the
//! engine ([`PathRunner`]), so interest, oracle delays, margin calls, liquidations (bonus,
//! penalty, fee), the market impact of forced sales and bad debt all shape the loss. The loss of
//! a path is the account's equity at market prices now minus at the end of the path. Beside it,
//! the **linear loss** — what the same price moves would cost the positions held now with nothing
//! else happening — shows what the engine adds; on a path where the account was liquidated the
//! difference is its **liquidation loss** (penalties, fees, slippage, selling at the low).
//!
//! **Parametric method** ([`parametric`], variance–covariance): log returns over the horizon are
//! normal with means `(μᵢ − σᵢ²/2)h` and covariances `ρᵢⱼσᵢσⱼh`. The portfolio is its net exposure
//! `E = Σ eᵢ` (exposure = `∂equity/∂ln p`) riding the weighted log return `Y = Σ (eᵢ/E) xᵢ`, so its
//! loss `−E(e^Y − 1)` is lognormal and VaR and ES have closed forms; for one asset on GBM this *is*
//! the lognormal quantile `V(1 − exp((μ − σ²/2)h − zσ√h))`. A hedged book (net exposure under 10%
//! of gross) uses the delta-normal form `−eᵀm + z√(eᵀCe)` instead. It sees no liquidation.
//!
//! VaR is the loss at rank `⌈αn⌉` of the `n` sorted losses; ES the mean of the losses from that
//! rank on ([`super::stats`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::stats::{self, Histogram};
use crate::engine::core::{Checkpoint, Engine};
use crate::engine::error::{EngineError, Rejection};
use crate::engine::event::EventKind;
use crate::engine::ids::{AccountId, AssetId};

/// A price path: `(time, market prices)` steps after the engine's current time. Assets not
/// listed keep their price.
pub type PricePath = [(i64, BTreeMap<AssetId, Decimal>)];

/// What one path did to the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathOutcome {
    /// Equity at market now minus at the end (positive = a loss).
    pub loss: Decimal,
    /// The loss the positions held now would make at the path's last prices, nothing else
    /// happening (no interest, liquidation or impact).
    pub linear_loss: Decimal,
    /// Liquidation events of the account (forced sales and auctions included).
    pub liquidations: u32,
    pub margin_call: bool,
    /// Bonuses, penalties and fees the account paid in liquidations.
    pub penalties: Decimal,
    /// The account's debt left uncovered (value at the end's oracle prices).
    pub bad_debt: Decimal,
}

impl PathOutcome {
    pub fn liquidated(&self) -> bool {
        self.liquidations > 0
    }
}

/// Replays price paths through a working copy of the engine, from the same starting state each
/// time (a checkpoint is restored before each path).
pub struct PathRunner {
    engine: Engine,
    start: Checkpoint,
    start_time: i64,
    account: AccountId,
    equity0: Decimal,
    exposures: BTreeMap<AssetId, Decimal>,
    feed0: BTreeMap<AssetId, Decimal>,
}

impl PathRunner {
    pub fn new(engine: &Engine, account: AccountId) -> Result<Self, Rejection> {
        let scratch = engine.scratch();
        let equity0 = scratch.market_equity(&account)?;
        let exposures = scratch.exposures(&account)?;
        let feed0 = scratch
            .world
            .assets
            .iter()
            .map(|(id, s)| (id.clone(), s.feed_price))
            .collect();
        Ok(Self {
            start: scratch.checkpoint(),
            start_time: scratch.now(),
            engine: scratch,
            account,
            equity0,
            exposures,
            feed0,
        })
    }

    /// The account's equity at market prices at the start.
    pub fn equity0(&self) -> Decimal {
        self.equity0
    }

    /// The account's exposure to each asset at the start (`∂equity/∂ln p`, quote).
    pub fn exposures(&self) -> &BTreeMap<AssetId, Decimal> {
        &self.exposures
    }

    /// The engine time paths start after (the state every path starts from).
    pub fn start_time(&self) -> i64 {
        self.start_time
    }

    /// The feed (pre-impact) prices at the start.
    pub fn start_prices(&self) -> &BTreeMap<AssetId, Decimal> {
        &self.feed0
    }

    /// Replays one path and measures it.
    pub fn run(&mut self, path: &PricePath) -> Result<PathOutcome, EngineError> {
        self.engine.rewind(&self.start)?;
        for (t, prices) in path {
            self.engine.step(*t, prices)?;
        }
        let equity = self
            .engine
            .market_equity(&self.account)
            .map_err(|_| EngineError::Overflow)?;
        let mut linear = Decimal::ZERO;
        if let Some((_, last)) = path.last() {
            for (asset, e) in &self.exposures {
                let (Some(p1), Some(p0)) = (last.get(asset), self.feed0.get(asset)) else {
                    continue;
                };
                // Checked: a hostile path (a price from 10⁻¹² to 10⁹) must not panic.
                let term = p1
                    .checked_div(*p0)
                    .and_then(|r| e.checked_mul(r - Decimal::ONE))
                    .unwrap_or_default();
                linear = linear.saturating_add(term);
            }
        }
        let mut out = PathOutcome {
            loss: self.equity0 - equity,
            linear_loss: -linear,
            liquidations: 0,
            margin_call: false,
            penalties: Decimal::ZERO,
            bad_debt: Decimal::ZERO,
        };
        for e in self.engine.events() {
            if let Some(s) = e.kind.liquidation_summary(self.account) {
                out.liquidations += 1;
                out.penalties += s.penalty;
            }
            match &e.kind {
                EventKind::MarginCallIssued { account, .. } if *account == self.account => {
                    out.margin_call = true
                }
                EventKind::BadDebt {
                    account,
                    asset,
                    amount,
                } if *account == self.account => {
                    out.bad_debt += *amount * self.engine.world.price(asset)
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The loss distribution of a set of paths, as the learner sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LossSummary {
    pub paths: usize,
    pub confidence: f64,
    pub var: f64,
    pub es: f64,
    pub mean_loss: f64,
    /// VaR and ES of the linear losses of the same paths (what a P&L-only model would say).
    pub linear_var: f64,
    pub linear_es: f64,
    /// Share of paths on which the account was liquidated, and its standard error.
    pub liquidation_probability: f64,
    pub liquidation_probability_se: f64,
    /// Share of paths on which a margin call was issued.
    pub margin_call_probability: f64,
    /// `E[(loss − linear loss) × 1{liquidated}]`: what liquidations added to the loss, on average
    /// over every path.
    pub expected_liquidation_loss: f64,
    /// `E[loss | liquidated]` (`None` when no path was liquidated).
    pub loss_given_liquidation: Option<f64>,
    pub expected_penalties: f64,
    pub expected_bad_debt: f64,
    pub histogram: Histogram,
}

/// Bins of the loss histogram.
pub const HISTOGRAM_BINS: usize = 40;

/// Summarises path outcomes at `confidence` (0.95 or 0.99).
pub fn summarize(outcomes: &[PathOutcome], confidence: f64) -> LossSummary {
    let n = outcomes.len();
    let losses: Vec<f64> = outcomes.iter().map(|o| stats::to_f64(o.loss)).collect();
    let linear: Vec<f64> = outcomes
        .iter()
        .map(|o| stats::to_f64(o.linear_loss))
        .collect();
    let sorted = stats::sorted(&losses);
    let sorted_linear = stats::sorted(&linear);
    let liquidated: Vec<&PathOutcome> = outcomes.iter().filter(|o| o.liquidated()).collect();
    let nf = n.max(1) as f64;
    let p = liquidated.len() as f64 / nf;
    let liq_loss: f64 = liquidated
        .iter()
        .map(|o| stats::to_f64(o.loss - o.linear_loss))
        .sum::<f64>()
        / nf;
    let given: Vec<f64> = liquidated.iter().map(|o| stats::to_f64(o.loss)).collect();
    LossSummary {
        paths: n,
        confidence,
        var: stats::var(&sorted, confidence),
        es: stats::expected_shortfall(&sorted, confidence),
        mean_loss: stats::mean(&losses),
        linear_var: stats::var(&sorted_linear, confidence),
        linear_es: stats::expected_shortfall(&sorted_linear, confidence),
        liquidation_probability: p,
        liquidation_probability_se: libm::sqrt(p * (1.0 - p) / nf),
        margin_call_probability: outcomes.iter().filter(|o| o.margin_call).count() as f64 / nf,
        expected_liquidation_loss: liq_loss,
        loss_given_liquidation: (!given.is_empty()).then(|| stats::mean(&given)),
        expected_penalties: outcomes
            .iter()
            .map(|o| stats::to_f64(o.penalties))
            .sum::<f64>()
            / nf,
        expected_bad_debt: outcomes
            .iter()
            .map(|o| stats::to_f64(o.bad_debt))
            .sum::<f64>()
            / nf,
        histogram: Histogram::of(&sorted, HISTOGRAM_BINS),
    }
}

/// The parametric figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parametric {
    pub var: f64,
    pub es: f64,
    /// Expected loss over the horizon.
    pub mean_loss: f64,
    /// Standard deviation of the portfolio's (log) return times its exposure, over the horizon.
    pub sigma: f64,
    pub net_exposure: f64,
    pub gross_exposure: f64,
    /// "lognormal" or "delta-normal" (see the module docs).
    pub method: String,
}

/// Variance–covariance VaR and ES of exposures `e` (quote), annual arithmetic drifts `mu`, annual
/// volatilities `vol`, correlation matrix `corr`, over `horizon_years`, at `confidence`.
pub fn parametric(
    e: &[f64],
    mu: &[f64],
    vol: &[f64],
    corr: &[Vec<f64>],
    horizon_years: f64,
    confidence: f64,
) -> Parametric {
    let n = e.len();
    let h = horizon_years;
    let z = stats::norm_inv(confidence);
    let alpha = 1.0 - confidence;
    let m: Vec<f64> = (0..n)
        .map(|i| (mu[i] - 0.5 * vol[i] * vol[i]) * h)
        .collect();
    let cov = |i: usize, j: usize| {
        let rho = corr.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0);
        rho * vol[i] * vol[j] * h
    };
    let net: f64 = e.iter().sum();
    let gross: f64 = e.iter().map(|x| x.abs()).sum();
    let quad = |w: &[f64]| {
        let mut s = 0.0;
        for i in 0..n {
            for j in 0..n {
                s += w[i] * w[j] * cov(i, j);
            }
        }
        s.max(0.0)
    };
    if gross == 0.0 {
        return Parametric {
            var: 0.0,
            es: 0.0,
            mean_loss: 0.0,
            sigma: 0.0,
            net_exposure: 0.0,
            gross_exposure: 0.0,
            method: "no exposure".into(),
        };
    }
    if net.abs() >= 0.1 * gross {
        let w: Vec<f64> = e.iter().map(|x| x / net).collect();
        let mu_y: f64 = (0..n).map(|i| w[i] * m[i]).sum();
        let s = libm::sqrt(quad(&w));
        let growth = libm::exp(mu_y + 0.5 * s * s);
        let (var, es) = if net > 0.0 {
            let var = net * (1.0 - libm::exp(mu_y - z * s));
            let es = net * (1.0 - growth * stats::norm_cdf(-z - s) / alpha);
            (var, es)
        } else {
            let a = -net;
            let var = a * (libm::exp(mu_y + z * s) - 1.0);
            let es = a * (growth * stats::norm_cdf(s - z) / alpha - 1.0);
            (var, es)
        };
        Parametric {
            var,
            es,
            mean_loss: net * (1.0 - growth),
            sigma: net.abs() * s,
            net_exposure: net,
            gross_exposure: gross,
            method: "lognormal".into(),
        }
    } else {
        let mean: f64 = -(0..n).map(|i| e[i] * m[i]).sum::<f64>();
        let s = libm::sqrt(quad(e));
        Parametric {
            var: mean + z * s,
            es: mean + s * stats::norm_pdf(z) / alpha,
            mean_loss: mean,
            sigma: s,
            net_exposure: net,
            gross_exposure: gross,
            method: "delta-normal".into(),
        }
    }
}

/// Everything the value-at-risk panel shows, method by method (built by `replay::risk`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VarReport {
    pub horizon_secs: i64,
    pub confidence: f64,
    pub seed: u64,
    /// Equity at market prices at the start.
    pub equity: Decimal,
    pub exposures: Vec<(AssetId, Decimal)>,
    pub monte_carlo: Option<LossSummary>,
    /// Where the Monte Carlo paths came from, or why there are none.
    pub monte_carlo_note: String,
    pub historical: Option<LossSummary>,
    pub historical_note: String,
    pub parametric: Option<Parametric>,
    pub parametric_note: String,
    /// The 99% joint move of the correlations (see `reverse`), as fractions per asset.
    pub joint_move: Vec<(AssetId, Decimal)>,
}
