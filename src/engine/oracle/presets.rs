//! Named oracle presets and labels for the UI.

use rust_decimal::Decimal;

use super::OracleSpec;

/// A named oracle configuration with a one-line explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OraclePreset {
    pub id: &'static str,
    pub name: &'static str,
    pub explanation: &'static str,
    pub spec: OracleSpec,
}

/// The presets offered in the UI (time-window models — freeze, spike — are set per scenario).
pub fn presets() -> Vec<OraclePreset> {
    vec![
        OraclePreset {
            id: "instant",
            name: "Instant",
            explanation: "Publishes the market price immediately: no oracle risk.",
            spec: OracleSpec::Instant,
        },
        OraclePreset {
            id: "maker-osm",
            name: "Maker OSM (1 h delay)",
            explanation: "Maker's Oracle Security Module: prices are used one hour late, so liquidations lag the market.",
            spec: OracleSpec::MAKER_OSM,
        },
        OraclePreset {
            id: "maker-osm-hourly",
            name: "Maker OSM (hourly pokes)",
            explanation: "The real OSM rhythm: each hour the queued price goes live and a new one is queued, so prices are 1–2 hours old.",
            spec: OracleSpec::OsmHop { hop_secs: 3600 },
        },
        OraclePreset {
            id: "chainlink-eth",
            name: "Chainlink ETH/USD (0.5 % / 1 h)",
            explanation: "Updates when the price moves 0.5 % or every hour; smaller moves stay invisible.",
            spec: OracleSpec::HeartbeatDeviation {
                heartbeat_secs: 3600,
                deviation: Decimal::new(5, 3),
            },
        },
        OraclePreset {
            id: "chainlink-stable",
            name: "Chainlink USDC/USD (0.25 % / 24 h)",
            explanation: "Stablecoin feed: updates on a 0.25 % move or once a day.",
            spec: OracleSpec::HeartbeatDeviation {
                heartbeat_secs: 86_400,
                deviation: Decimal::new(25, 4),
            },
        },
        OraclePreset {
            id: "frozen",
            name: "Frozen (stale after 1 h)",
            explanation: "Never updates after its first price; readings older than an hour are flagged stale.",
            spec: OracleSpec::Frozen {
                from_secs: i64::MIN,
                until_secs: None,
                max_age_secs: 3600,
            },
        },
        OraclePreset {
            id: "perp-mark",
            name: "Perp mark price (5 min EMA, ±0.5 %)",
            explanation: "Liquidations use a smoothed index clamped within 0.5 % of it, not the last trade.",
            spec: OracleSpec::Mark {
                smoothing_secs: 300,
                max_premium: Decimal::new(5, 3),
            },
        },
    ]
}

impl OracleSpec {
    /// Short name of the model.
    pub fn label(&self) -> &'static str {
        match self {
            OracleSpec::Instant => "Instant",
            OracleSpec::FixedDelay { .. } => "Fixed delay",
            OracleSpec::OsmHop { .. } => "Maker OSM (hourly)",
            OracleSpec::HeartbeatDeviation { .. } => "Heartbeat + deviation",
            OracleSpec::Frozen { .. } => "Frozen / stale",
            OracleSpec::ManipulatedSpike { .. } => "Manipulated spike",
            OracleSpec::Mark { .. } => "Perp mark price",
        }
    }

    /// One line explaining this configuration.
    pub fn explanation(&self) -> String {
        match self {
            OracleSpec::Instant => "Publishes the market price immediately.".into(),
            OracleSpec::FixedDelay { delay_secs } => {
                format!("Publishes the market price from {delay_secs} s ago (Maker OSM uses 3600 s).")
            }
            OracleSpec::OsmHop { hop_secs } => {
                format!("Each {hop_secs} s the queued price goes live and the market price is queued (Maker OSM).")
            }
            OracleSpec::HeartbeatDeviation {
                heartbeat_secs,
                deviation,
            } => format!(
                "Updates when the price moves {} % or every {heartbeat_secs} s (Chainlink style).",
                (deviation * Decimal::ONE_HUNDRED).normalize()
            ),
            OracleSpec::Frozen {
                from_secs,
                until_secs,
                max_age_secs,
            } => match until_secs {
                Some(u) => format!("Stops updating from t={from_secs} until t={u}; stale after {max_age_secs} s without update."),
                None => format!("Stops updating from t={from_secs}; stale after {max_age_secs} s without update."),
            },
            OracleSpec::ManipulatedSpike { at, duration, factor } => {
                format!("Publishes {factor} × the market price for {duration} s from t={at} (manipulation).")
            }
            OracleSpec::Mark {
                smoothing_secs,
                max_premium,
            } => format!(
                "Index smoothed over {smoothing_secs} s, clamped within {} % of the index.",
                (max_premium * Decimal::ONE_HUNDRED).normalize()
            ),
        }
    }
}
