use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::system::system_oracle;
use crate::engine::{AssetClass, CollateralDesign, PresetId, RulesVersion};
use crate::feed::catalogue;
use crate::feed::csv_import;
use crate::feed::{PathFeed, PriceFeed};
use crate::replay::scenario::{starting_wallet, IMPORTED_PREFIX};
use crate::replay::script::imported::ImportedSeries;
use crate::replay::script::ScenarioOption;
use crate::replay::{Scenario, Script, Session};
use crate::text::echo;
use crate::ui::scenario::crowd::{CrowdForm, CrowdSettings};
use crate::ui::state::use_lab;
use crate::ui::util::datasets;
use crate::ui::util::upload::{picked_file, read_bytes};

/// Human names of the presets (the long form says what each imitates).
pub fn preset_name(p: PresetId) -> &'static str {
    match p {
        PresetId::AaveV3 => "Aave v3-like",
        PresetId::CompoundIII => "Compound III-like",
        PresetId::MakerScd => "Maker SCD-like vaults",
        PresetId::MakerMcd => "Maker MCD-like (Dutch auctions)",

        PresetId::LiquityV1 => "Liquity v1-like",
        PresetId::PerpExchange => "Perpetuals exchange (Binance-style)",
        PresetId::PerpSkew => "Perpetuals, skew funding (GMX-style)",
        PresetId::Broker => "US broker, Reg T margin",
        PresetId::BrokerPortfolio => "US broker, portfolio margin",
        PresetId::Custom => "Custom",
    }
}

pub fn design_name(d: CollateralDesign) -> &'static str {
    match d {
        CollateralDesign::SingleCollateral => "Single-collateral vaults",
        CollateralDesign::MultiCollateral => "Multi-collateral (pooled)",
    }
}

fn preset_from(value: &str) -> PresetId {
    PresetId::ALL
        .into_iter()
        .find(|p| format!("{p:?}") == value)
        .unwrap_or(PresetId::PerpExchange)
}

/// The scenario form. Starting replaces the current session (after it is built successfully).
#[component]
pub fn ScenarioPicker() -> impl IntoView {
    let lab = use_lab();
    let entries = catalogue::catalogue();
    let first_id = entries
        .first()
        .map(|e| e.id.to_string())
        .unwrap_or_default();
    let feed = RwSignal::new(
        entries
            .iter()
            .find(|e| e.id == "eth-black-thursday")
            .map(|e| e.id.to_string())
            .unwrap_or(first_id),
    );
    let preset = RwSignal::new(PresetId::PerpExchange);
    let design = RwSignal::new(CollateralDesign::MultiCollateral);
    let seed = RwSignal::new("42".to_string());
    // An oracle preset id, or "" for the imitated system's own oracle.
    let oracle = RwSignal::new(String::new());
    let oracle_presets = crate::engine::oracle::presets();
    let oracle_choices = oracle_presets.clone();
    let oracle_note_presets = oracle_presets.clone();

    let cash = RwSignal::new("10000".to_string());
    // The learner's wallet at Start: the starting cash alone, or with the preset's basket.
    let cash_only = RwSignal::new(false);
    // A scripted rating downgrade (Margin Lab's credit tiers): notches (0 = none) at a tick.
    let downgrade_notches = RwSignal::new(0u8);
    let downgrade_tick = RwSignal::new("24".to_string());
    // The user's own price file: its name (shown in the scenario list) and its feed.
    let imported_name = RwSignal::new(None::<String>);
    let imported_feed = StoredValue::new_local(None::<PathFeed>);
    let import_symbol = RwSignal::new("ETH".to_string());
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        let name = file.name();
        leptos::task::spawn_local(async move {
            let bytes = match read_bytes(&file, csv_import::MAX_BYTES).await {
                Ok(b) => b,
                Err(e) => return lab.error(e),
            };
            let symbol = import_symbol.get_untracked();
            match csv_import::import_feed(&bytes, &symbol, &name) {
                Ok(path) => {
                    lab.info(format!(
                        "Imported {} prices of {symbol} from {}. Pick rules and press Start.",
                        path.len(),
                        echo(&name)
                    ));
                    imported_feed.set_value(Some(path));
                    imported_name.set(Some(name.clone()));
                    feed.set(format!("{IMPORTED_PREFIX}{name}"));
                }
                // Nothing is loaded; the message names the file, the asset and the line at fault.
                Err(e) => lab.error(e),
            }
        });
    };

    let entry = Memo::new(move |_| catalogue::entry(&feed.get()));
    // What the wallet will hold, said before Start (read from the configuration the scenario builds).
    let wallet = Memo::new(move |_| {
        let id = feed.get();
        if id.starts_with(IMPORTED_PREFIX) {
            return Err(
                "depends on your imported prices; see the account panel after Start".to_string(),
            );
        }
        let cash_value = cash
            .get()
            .trim()
            .replace(',', "")
            .parse::<Decimal>()
            .map_err(|_| "enter a starting cash first".to_string())?;
        let mut scenario = Scenario {
            feed: id,
            seed: seed.get().trim().parse::<u64>().unwrap_or(0),
            design: design.get(),
            starting_cash: cash_value,
            ..Scenario::new("", preset.get())
        };
        if cash_only.get() {
            scenario.set(ScenarioOption::CashOnly);
        }
        starting_wallet(&scenario).map(|w| {
            w.iter()
                .map(|(a, v)| format!("{} {a}", crate::engine::num::fmt_num(*v, 4)))
                .collect::<Vec<_>>()
                .join(", ")
        })
    });
    let crowd = CrowdForm::new();
    // Crowded scenarios come with a few thousand other borrowers (editable).
    Effect::new(move |_| {
        crowd
            .count
            .set(catalogue::default_crowd(&feed.get()).to_string())
    });
    let start = move |_| {
        let seed_value = match seed.get_untracked().trim().parse::<u64>() {
            Ok(s) => s,
            Err(_) => {
                return lab
                    .error("The seed must be a whole number between 0 and 18446744073709551615.")
            }
        };
        let cash_value = match cash
            .get_untracked()
            .trim()
            .replace(',', "")
            .parse::<Decimal>()
        {
            Ok(c) if !c.is_sign_negative() => c,
            _ => return lab.error("Starting cash must be a number of 0 or more."),
        };
        let mut options = match crowd.options() {
            Ok(o) => o,
            Err(e) => return lab.error(e),
        };
        let notches = downgrade_notches.get_untracked();
        if notches > 0 {
            match downgrade_tick.get_untracked().trim().parse::<u32>() {
                Ok(tick) => options.push(ScenarioOption::RatingDowngrade { tick, notches }),
                Err(_) => return lab.error("The rating downgrade's tick must be a whole number."),
            }
        }
        let mut script = Script::new(Scenario {
            feed: feed.get_untracked(),
            seed: seed_value,
            preset: preset.get_untracked(),
            design: design.get_untracked(),
            liquidation: None,
            oracle: oracle_presets
                .iter()
                .find(|p| p.id == oracle.get_untracked())
                .map(|p| p.spec.clone()),

            starting_cash: cash_value,
            rules: RulesVersion::CURRENT,
            options,
        });
        if cash_only.get_untracked() {
            script.scenario.set(ScenarioOption::CashOnly);
        }
        let imported = if script.scenario.feed.starts_with(IMPORTED_PREFIX) {
            imported_feed.get_value()
        } else {
            None
        };
        // The scenario carries the imported prices, so its link or file replays without the file.
        if let Some(series) = imported.as_ref().and_then(ImportedSeries::from_feed) {
            script.scenario.carry_prices(series);
        }
        let scenario = script.scenario.clone();
        let opened = datasets::when_loaded(lab, &scenario, move || {
            let session = Session::open_with(script, imported)
                .map_err(|e| format!("This scenario could not start: {e}"))?;
            lab.install(session);
            clear_link_from_address();
            lab.info("Scenario ready: press Play (space) or Step (→).");
            Ok(())
        });
        if let Err(e) = opened {
            lab.error(e);
        }
    };
    // Choosing a recorded scenario starts downloading its prices, so Start rarely waits.
    Effect::new(move |_| {
        if let Some(dataset) = entry.get().and_then(|e| e.spec.dataset()) {
            datasets::prefetch(dataset);
        }
    });

    view! {
        <form class="picker" on:submit=move |ev| { ev.prevent_default(); start(()); }>
            <div class="field grow">
                <label for="pick-feed">"Scenario"</label>
                <select id="pick-feed" data-testid="pick-feed" on:change=move |ev| feed.set(event_target_value(&ev))>
                    {entries.iter().map(|e| {
                        let id = e.id.to_string();
                        let selected = id == feed.get_untracked();
                        view! { <option value=id selected=selected>{e.name}</option> }
                    }).collect_view()}
                    {move || imported_name.get().map(|n| {
                        let id = format!("{IMPORTED_PREFIX}{n}");
                        view! { <option value=id.clone() selected=move || feed.get() == id>{format!("Your prices: {n}")}</option> }
                    })}
                </select>
            </div>
            <div class="field">
                <label for="pick-preset">"Rules imitate"</label>
                <select id="pick-preset" data-testid="pick-preset" on:change=move |ev| {
                    let p = preset_from(&event_target_value(&ev));
                    preset.set(p);
                    design.set(p.config().design);
                }>
                    {PresetId::ALL.into_iter().map(|p| view! {
                        <option value=format!("{p:?}") selected=move || preset.get() == p title=p.imitates()>{preset_name(p)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="pick-design">"Collateral design"</label>
                <select id="pick-design" data-testid="pick-design" on:change=move |ev| {
                    design.set(if event_target_value(&ev) == "single" { CollateralDesign::SingleCollateral } else { CollateralDesign::MultiCollateral });
                }>
                    <option value="multi" selected=move || design.get() == CollateralDesign::MultiCollateral>{design_name(CollateralDesign::MultiCollateral)}</option>
                    <option value="single" selected=move || design.get() == CollateralDesign::SingleCollateral>{design_name(CollateralDesign::SingleCollateral)}</option>
                </select>
            </div>
            <div class="field">
                <label for="pick-oracle">"Oracle"</label>
                <select id="pick-oracle" data-testid="pick-oracle" on:change=move |ev| oracle.set(event_target_value(&ev))>
                    <option value="" selected=true>"The system's own"</option>
                    {oracle_choices.iter().map(|p| view! {
                        <option value=p.id title=p.explanation>{p.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field narrow">
                <label for="pick-seed">"Seed"</label>

                <input id="pick-seed" data-testid="pick-seed" inputmode="numeric" prop:value=seed on:input=move |ev| seed.set(event_target_value(&ev)) />
            </div>
            <div class="field narrow">
                <label for="pick-cash">"Starting cash"</label>
                <input id="pick-cash" data-testid="pick-cash" inputmode="decimal" prop:value=cash on:input=move |ev| cash.set(event_target_value(&ev)) />
            </div>
            <fieldset class="field wallet-choice" data-testid="pick-wallet">
                <legend>"Wallet at Start"</legend>
                <label class="inline"><input type="radio" name="pick-wallet" data-testid="pick-wallet-basket" prop:checked=move || !cash_only.get() on:change=move |_| cash_only.set(false) />" Cash + the preset's tokens"</label>
                <label class="inline"><input type="radio" name="pick-wallet" data-testid="pick-wallet-cash" prop:checked=cash_only on:change=move |_| cash_only.set(true) />" Cash only"</label>
            </fieldset>
            <CrowdSettings form=crowd />
            <div class="field">
                <label for="pick-downgrade" title="Margin Lab's credit tiers: a rating downgrade from outside the account's history, 15 points a notch">"Rating downgrade"</label>
                <div class="row">
                    <select id="pick-downgrade" data-testid="pick-downgrade" on:change=move |ev| downgrade_notches.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0" selected=true>"none"</option>
                        {(1u8..=4).map(|n| view! { <option value=n.to_string()>{format!("{n} notch{}", if n == 1 { "" } else { "es" })}</option> }).collect_view()}
                    </select>
                    <input class="input-short" inputmode="numeric" aria-label="Tick of the rating downgrade" data-testid="pick-downgrade-tick"
                        disabled=move || downgrade_notches.get() == 0 prop:value=downgrade_tick on:input=move |ev| downgrade_tick.set(event_target_value(&ev)) />
                </div>
            </div>
            <button class="btn primary" type="submit" data-testid="start">"Start"</button>
            <div class="field">
                <label for="pick-import">"Or import prices (CSV / JSON) as"</label>
                <div class="row">
                    <input class="input-short" aria-label="Asset the imported prices are for" data-testid="import-symbol"
                        prop:value=import_symbol on:input=move |ev| import_symbol.set(event_target_value(&ev)) />
                    <label class="btn file">
                        "Choose file…"
                        <input id="pick-import" type="file" accept=".csv,.json,text/csv,application/json" class="visually-hidden"
                            data-testid="import-prices" on:change=import />
                    </label>
                </div>
            </div>
            <p class="picker-about muted">
                {move || entry.get().map(|e| view! {
                    <span class=if matches!(e.provenance, catalogue::Provenance::Recorded) { "badge ok" } else { "badge warn" }>{e.provenance.label()}</span>
                    " " {e.description} " — " <em>{e.source}</em> " (" {e.licence} ")"
                })}
                <br />
                <span data-testid="pick-wallet-holdings">
                    <strong>"Your wallet at Start: "</strong>
                    {move || match wallet.get() { Ok(w) if w.is_empty() => "nothing".to_string(), Ok(w) => w, Err(e) => e }}
                    "."
                </span>
                <br />
                <span class="imitates">{move || preset.get().imitates()}</span>
                " "
                <span class="muted" data-testid="preset-vintage">{move || format!("({}; {} rules)", preset.get().vintage(RulesVersion::CURRENT), RulesVersion::CURRENT.label())}</span>
                <br />
                <span class="muted" data-testid="oracle-note">
                    {move || {
                        let chosen = oracle_note_presets.iter().find(|p| p.id == oracle.get()).map(|p| p.spec.clone());
                        let spec = chosen.unwrap_or_else(|| system_oracle(preset.get(), RulesVersion::CURRENT, AssetClass::VolatileAlt));
                        format!("Oracle: {} — {}", spec.label(), spec.explanation())
                    }}
                </span>

            </p>
        </form>
    }
}

/// A new session is not the one a link in the address describes: drop the `#…` so a reload does
/// not bring the old session back.
fn clear_link_from_address() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) else {
        return;
    };
    if window.location().hash().is_ok_and(|h| !h.is_empty()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}
