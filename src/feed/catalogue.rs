//! The bundled scenario feeds, as data for the UI: name, description, source, licence, assets,
//! and whether the prices are recorded history or synthetic.
//!
//! Synthetic crash scenarios are labelled as *modelled on* the event they imitate; they are never
//! presented as recorded data. Recorded entries come from vega-datasets (BSD-3-Clause) and must be
//! credited in the app ([`SOURCE_CREDIT`](super::replayed::SOURCE_CREDIT)).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

use super::correlated::{Correlated, CorrelatedAsset};
use super::error::FeedError;
use super::gbm::Gbm;
use super::jump::JumpDiffusion;
use super::regime::{RegimeParams, RegimeSwitching};
use super::shock::{Shock, ShockKind};
use super::spec::{Dataset, FeedSpec, Model, SimSpec, Source};
use super::PriceFeed;

/// Recorded history or a simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Provenance {
    /// Real recorded prices.
    Recorded,
    /// Generated; `modelled_on` names the real event it imitates, if any.
    Synthetic { modelled_on: Option<&'static str> },
}

impl Provenance {
    /// The label the UI shows next to the scenario.
    pub fn label(&self) -> String {
        match self {
            Provenance::Recorded => "Recorded data".into(),
            Provenance::Synthetic {
                modelled_on: Some(e),
            } => format!("Synthetic — modelled on {e}, not recorded data"),
            Provenance::Synthetic { modelled_on: None } => "Synthetic (simulated)".into(),
        }
    }
}

/// One bundled scenario feed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CatalogueEntry {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub source: &'static str,
    pub licence: &'static str,
    pub provenance: Provenance,
    pub assets: Vec<&'static str>,
    #[serde(skip)]
    pub spec: FeedSpec,
}

const VEGA: &str = "vega-datasets 3.2.1 (npm), originally Yahoo Finance";
const VEGA_LICENCE: &str = "BSD-3-Clause";
const SIM: &str = "Margin Lab simulation (seeded, reproducible)";
const SIM_LICENCE: &str = "MIT OR Apache-2.0 (generated)";
const HOUR: i64 = 3600;

fn recorded(dataset: Dataset, from: Option<i64>, to: Option<i64>) -> FeedSpec {
    FeedSpec {
        source: Source::Recorded { dataset, from, to },
        shocks: vec![],
    }
}

fn simulated(
    model: Model,
    seed: u64,
    start_time: i64,
    interval_secs: i64,
    ticks: u64,
    shocks: Vec<Shock>,
) -> FeedSpec {
    FeedSpec {
        source: Source::Simulated(SimSpec {
            model,
            seed,
            start_time,
            interval_secs,
            ticks,
        }),
        shocks,
    }
}

fn asset(symbol: &str, s0: Decimal, drift: f64, vol: f64, reversion: f64) -> CorrelatedAsset {
    CorrelatedAsset {
        symbol: symbol.into(),
        s0,
        drift,
        vol,
        reversion,
    }
}

/// The multi-asset crypto basket: BTC, ETH, stETH, an altcoin, two stablecoins, a tokenized T-bill
/// and a tokenized equity. Volatilities and correlations are illustrative round numbers.
pub fn crypto_basket() -> Correlated {
    let assets = vec![
        asset("WBTC", dec!(60000), 0.1, 0.6, 0.0),
        asset("ETH", dec!(3000), 0.1, 0.8, 0.0),
        asset("stETH", dec!(2995), 0.1, 0.8, 0.0),
        asset("ALT", dec!(12), 0.0, 1.5, 0.0),
        asset("USDC", dec!(1), 0.0, 0.02, 300.0),
        asset("DAI", dec!(1), 0.0, 0.03, 300.0),
        asset("TBILL", dec!(100), 0.05, 0.005, 0.0),
        asset("xSPY", dec!(500), 0.07, 0.2, 0.0),
    ];
    let r = [
        [1.0, 0.8, 0.79, 0.6, 0.0, 0.0, 0.0, 0.3],
        [0.8, 1.0, 0.98, 0.7, 0.0, 0.0, 0.0, 0.3],
        [0.79, 0.98, 1.0, 0.69, 0.0, 0.0, 0.0, 0.3],
        [0.6, 0.7, 0.69, 1.0, 0.0, 0.0, 0.0, 0.2],
        [0.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0],
        [0.3, 0.3, 0.3, 0.2, 0.0, 0.0, 0.0, 1.0],
    ];
    Correlated {
        assets,
        correlation: r.iter().map(|row| row.to_vec()).collect(),
    }
}

/// Hourly ETH for a week from 10 March 2020 with a 43 % fall over 30 hours from the 12th: the
/// prices of both Black Thursday-like scenarios (with and without a crowd), so they stay the same.
fn black_thursday_week() -> FeedSpec {
    simulated(
        Model::Gbm(Gbm {
            symbol: "ETH".into(),
            s0: dec!(200),
            drift: 0.0,
            vol: 0.8,
        }),
        2020,
        1_583_798_400,
        HOUR,
        168,
        vec![shock(
            48,
            "ETH",
            ShockKind::Crash {
                drop: dec!(0.43),
                over_ticks: 30,
            },
        )],
    )
}

fn shock(at: u64, asset: &str, kind: ShockKind) -> Shock {
    Shock {
        at,
        asset: asset.into(),
        kind,
    }
}

/// How many other borrowers the picker puts beside the learner by default: a few thousand in the
/// crowded scenarios, none elsewhere (any scenario can carry 0 to 100,000).
pub fn default_crowd(id: &str) -> u32 {
    match id {
        "eth-black-thursday-crowd" => 3000,
        _ => 0,
    }
}

/// Every bundled scenario feed.
pub fn catalogue() -> Vec<CatalogueEntry> {
    let d2024 = 1_704_067_200; // 2024-01-01
    vec![
        CatalogueEntry {
            id: "sp500-2008",
            name: "S&P 500: 2008 financial crisis",
            description: "Daily S&P 500 closes, January 2008 to June 2009: Lehman, the slide to the March 2009 low.",
            source: VEGA,
            licence: VEGA_LICENCE,
            provenance: Provenance::Recorded,
            assets: vec!["SPX"],
            spec: recorded(Dataset::Sp500Daily, Some(1_199_145_600), Some(1_246_320_000)),
        },
        CatalogueEntry {
            id: "sp500-2020",
            name: "S&P 500: March 2020",
            description: "Daily S&P 500 closes, 2 January to 17 April 2020, including the 12 March 2020 crash day.",
            source: VEGA,
            licence: VEGA_LICENCE,
            provenance: Provenance::Recorded,
            assets: vec!["SPX"],
            spec: recorded(Dataset::Sp500Daily, Some(1_577_923_200), None),
        },
        CatalogueEntry {
            id: "sp500-2000-2020",
            name: "S&P 500: 2000 to 2020",
            description: "Twenty years of daily S&P 500 closes (2000-01-03 to 2020-04-17).",
            source: VEGA,
            licence: VEGA_LICENCE,
            provenance: Provenance::Recorded,
            assets: vec!["SPX"],
            spec: recorded(Dataset::Sp500Daily, None, None),
        },
        CatalogueEntry {
            id: "stocks-monthly",
            name: "Five large stocks, monthly",
            description: "Monthly prices of MSFT, AMZN, IBM, GOOG and AAPL, August 2004 to March 2010 (the months all five share).",
            source: "vega-datasets 3.2.1 (npm)",
            licence: VEGA_LICENCE,
            provenance: Provenance::Recorded,
            assets: vec!["MSFT", "AMZN", "IBM", "GOOG", "AAPL"],
            spec: recorded(Dataset::StocksMonthly, None, None),
        },
        CatalogueEntry {
            id: "eth-black-thursday",
            name: "ETH crash (Black Thursday-like)",
            description: "Hourly ETH for a week: a volatile path with a scripted 43 % fall over 30 hours from 12 March, as on Black Thursday 2020.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic {
                modelled_on: Some("Black Thursday, 12 Mar 2020"),
            },
            assets: vec!["ETH"],
            spec: black_thursday_week(),
        },
        CatalogueEntry {
            id: "eth-black-thursday-crowd",
            name: "ETH crash with a crowd of borrowers (Black Thursday-like)",
            description: "The Black Thursday-like week (the same prices as the ETH crash) with a crowd of a few thousand other borrowers beside you: their liquidations sell into the market and can cascade.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic {
                modelled_on: Some("Black Thursday, 12 Mar 2020"),
            },
            assets: vec!["ETH"],
            spec: black_thursday_week(),
        },
        CatalogueEntry {
            id: "stablecoin-depeg",
            name: "Stablecoin depeg (USDC-like)",
            description: "Hourly USDC, DAI and ETH for a week: USDC falls to 0.88 and DAI to 0.90 over a weekend, then recover.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic {
                modelled_on: Some("the USDC depeg of 10–13 Mar 2023"),
            },
            assets: vec!["USDC", "DAI", "ETH"],
            spec: simulated(
                Model::Correlated(Correlated {
                    assets: vec![
                        asset("USDC", dec!(1), 0.0, 0.02, 300.0),
                        asset("DAI", dec!(1), 0.0, 0.03, 300.0),
                        asset("ETH", dec!(1500), 0.0, 0.7, 0.0),
                    ],
                    correlation: vec![vec![1.0, 0.6, 0.0], vec![0.6, 1.0, 0.0], vec![0.0, 0.0, 1.0]],
                }),
                2023,
                1_678_320_000,
                HOUR,
                168,
                vec![
                    shock(
                        46,
                        "USDC",
                        ShockKind::Depeg {
                            to: dec!(0.88),
                            ramp_ticks: 10,
                            hold_ticks: 20,
                            recover_ticks: Some(30),
                        },
                    ),
                    shock(
                        47,
                        "DAI",
                        ShockKind::Depeg {
                            to: dec!(0.90),
                            ramp_ticks: 10,
                            hold_ticks: 18,
                            recover_ticks: Some(30),
                        },
                    ),
                ],
            ),
        },
        CatalogueEntry {
            id: "tbill-oracle-freeze",
            name: "Tokenized T-bill: oracle freeze",
            description: "Hourly TBILL and USDC for a week: the TBILL oracle stops for 72 hours (stale after 24 h) while the token trades 5 % lower.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic { modelled_on: None },
            assets: vec!["TBILL", "USDC"],
            spec: simulated(
                Model::Correlated(Correlated {
                    assets: vec![asset("TBILL", dec!(100), 0.05, 0.003, 0.0), asset("USDC", dec!(1), 0.0, 0.02, 300.0)],
                    correlation: vec![vec![1.0, 0.0], vec![0.0, 1.0]],
                }),
                7,
                d2024,
                HOUR,
                168,
                vec![
                    shock(48, "TBILL", ShockKind::OracleFreeze { ticks: 72, max_age_secs: 24 * HOUR }),
                    shock(60, "TBILL", ShockKind::Gap { factor: dec!(0.95) }),
                ],
            ),
        },
        CatalogueEntry {
            id: "calm-gbm",
            name: "Calm market (GBM)",
            description: "Hourly ETH for 30 days, geometric Brownian motion with 50 % annual volatility and no drift.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic { modelled_on: None },
            assets: vec!["ETH"],
            spec: simulated(
                Model::Gbm(Gbm {
                    symbol: "ETH".into(),
                    s0: dec!(3000),
                    drift: 0.0,
                    vol: 0.5,
                }),
                1,
                d2024,
                HOUR,
                720,
                vec![],
            ),
        },
        CatalogueEntry {
            id: "eth-jumps",
            name: "Crash jumps (jump-diffusion)",
            description: "Hourly ETH for 90 days: GBM plus sudden drops (6 a year on average, about −14 % each).",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic { modelled_on: None },
            assets: vec!["ETH"],
            spec: simulated(
                Model::JumpDiffusion(JumpDiffusion {
                    symbol: "ETH".into(),
                    s0: dec!(3000),
                    drift: 0.0,
                    vol: 0.6,
                    jumps_per_year: 6.0,
                    jump_mean: -0.15,
                    jump_vol: 0.05,
                }),
                3,
                d2024,
                HOUR,
                2160,
                vec![],
            ),
        },
        CatalogueEntry {
            id: "regime-switching",
            name: "Calm and turbulent regimes",
            description: "Hourly ETH for 90 days switching between calm (40 % vol) and turbulent (150 % vol, falling) spells.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic { modelled_on: None },
            assets: vec!["ETH"],
            spec: simulated(
                Model::RegimeSwitching(RegimeSwitching {
                    symbol: "ETH".into(),
                    s0: dec!(3000),
                    calm: RegimeParams { drift: 0.2, vol: 0.4 },
                    turbulent: RegimeParams { drift: -1.0, vol: 1.5 },
                    calm_days: 20.0,
                    turbulent_days: 5.0,
                }),
                4,
                d2024,
                HOUR,
                2160,
                vec![],
            ),
        },
        CatalogueEntry {
            id: "crypto-basket",
            name: "Correlated multi-asset basket",
            description: "Hourly WBTC, ETH, stETH, ALT, USDC, DAI, TBILL and xSPY for 30 days with an illustrative correlation matrix.",
            source: SIM,
            licence: SIM_LICENCE,
            provenance: Provenance::Synthetic { modelled_on: None },
            assets: vec!["WBTC", "ETH", "stETH", "ALT", "USDC", "DAI", "TBILL", "xSPY"],
            spec: simulated(Model::Correlated(crypto_basket()), 8, d2024, HOUR, 720, vec![]),
        },
    ]
}

/// Builds catalogue entry `id` with simulation seed `seed` (ignored by recorded entries): what a
/// stored scenario (feed id + seed) replays.
pub fn build(id: &str, seed: u64) -> Result<Box<dyn PriceFeed>, FeedError> {
    let e = entry(id).ok_or_else(|| FeedError::UnknownScenario(id.to_string()))?;
    e.spec.with_seed(seed).build()
}

/// Looks up an entry by id.
pub fn entry(id: &str) -> Option<CatalogueEntry> {
    catalogue().into_iter().find(|e| e.id == id)
}
