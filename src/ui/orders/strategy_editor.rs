//! The strategy editor: a small structured form (no code) for a named plan — a perp bracket, a
//! loan kept between two health factors, or a vault topped up from the wallet — previewed with
//! the events the engine would log, then attached as one action (so it travels in the link).

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::orders::{BorrowPlan, PerpPlan, Plan, Strategy};
use crate::engine::{AccountId, AssetClass, AssetId, CollateralDesign, Command, MarginMode, Side};
use crate::ui::state::use_lab;
use crate::ui::ticket::order_ticket::parse_amount;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Perp,
    Borrow,
    Vault,
}

/// A percentage typed by the learner as a fraction (`"8"` → 0.08); empty → `None`.
fn percent(text: &str) -> Result<Option<Decimal>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_amount(text)
        .map(|v| Some(v / Decimal::ONE_HUNDRED))
        .ok_or_else(|| format!("\"{}\" is not a number.", text.trim()))
}

fn number(text: &str, what: &str) -> Result<Decimal, String> {
    parse_amount(text).ok_or_else(|| format!("{what} must be a number."))
}

fn optional(text: &str, what: &str) -> Result<Option<Decimal>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        number(text, what).map(Some)
    }
}

/// The form's fields (kept in [`super::state::AutomationState`], so they survive tab changes).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Fields {
    name: String,
    market: String,
    side: Side,
    leverage: String,
    mode: MarginMode,
    share: String,
    stop: String,
    take: String,
    reenter_hours: String,
    collateral: String,
    borrow: String,
    target: String,
    low: String,
    high: String,
}

impl Default for Fields {
    /// "5× long with half the cash, stop −8 %, take +15 %, re-enter after 24 h".
    fn default() -> Self {
        Self {
            name: "My strategy".into(),
            market: String::new(),
            side: Side::Long,
            leverage: "5".into(),
            mode: MarginMode::Isolated,
            share: "50".into(),
            stop: "8".into(),
            take: "15".into(),
            reenter_hours: "24".into(),
            collateral: String::new(),
            borrow: String::new(),
            target: String::new(),
            low: String::new(),
            high: String::new(),
        }
    }
}

fn build(kind: Kind, f: &Fields) -> Result<Strategy, String> {
    let share = percent(&f.share)?.ok_or("Give the share to use, in percent.")?;
    let plan = match kind {
        Kind::Perp => Plan::Perp(PerpPlan {
            market: AssetId::new(&f.market),
            side: f.side,
            leverage: number(&f.leverage, "Leverage")?,
            mode: f.mode,
            margin_share: share,
            stop_loss: percent(&f.stop)?,
            take_profit: percent(&f.take)?,
            reenter_after_secs: match optional(&f.reenter_hours, "The wait before re-entering")? {
                None => None,
                Some(h) => Some(
                    (h * Decimal::from(3600))
                        .round()
                        .try_into()
                        .map_err(|_| "The wait before re-entering is out of range.".to_string())?,
                ),
            },
        }),
        Kind::Borrow => Plan::Borrow(BorrowPlan {
            collateral: AssetId::new(&f.collateral),
            deposit_share: share,
            borrow: AssetId::new(&f.borrow),
            target_health: number(&f.target, "The target health factor")?,
            repay_below: optional(&f.low, "The auto-repay level")?,
            boost_above: optional(&f.high, "The boost level")?,
        }),
        Kind::Vault => Plan::Vault(crate::engine::orders::VaultPlan {
            collateral: AssetId::new(&f.collateral),
            deposit_share: share,
            target_ratio: percent(&f.target)?
                .ok_or("Give the target collateral ratio, in percent.")?,
            top_up_below: percent(&f.low)?,
        }),
    };
    Ok(Strategy {
        name: f.name.trim().to_string(),
        plan,
    })
}

#[component]
pub fn StrategyEditor() -> impl IntoView {
    let lab = use_lab();
    // What this scenario allows: a perp bracket where there are perps, else a loan or a vault.
    let kinds = Memo::new(move |_| {
        lab.with(|s| {
            let perps = s.config().assets.iter().any(|a| a.perp.is_some());
            match (perps, s.config().design) {
                (true, _) => vec![Kind::Perp],
                (false, CollateralDesign::MultiCollateral) => vec![Kind::Borrow],
                (false, CollateralDesign::SingleCollateral) => vec![Kind::Vault],
            }
        })
        .unwrap_or_default()
    });
    let assets = Memo::new(move |_| {
        lab.with(|s| {
            let ids = s.assets_by_relevance();
            let perps: Vec<String> = ids
                .iter()
                .filter(|id| s.config().asset(id).is_some_and(|a| a.perp.is_some()))
                .map(|id| id.to_string())
                .collect();
            let collateral: Vec<String> = ids
                .iter()
                .filter(|id| {
                    s.config().asset(id).is_some_and(|a| {
                        a.class != AssetClass::Stablecoin && **id != s.config().debt_asset
                    })
                })
                .map(|id| id.to_string())
                .collect();
            let borrowable: Vec<String> = ids
                .iter()
                .filter(|id| s.config().asset(id).is_some_and(|a| a.borrowable))
                .map(|id| id.to_string())
                .collect();
            (
                perps,
                collateral,
                borrowable,
                s.config().debt_asset.to_string(),
            )
        })
        .unwrap_or_default()
    });
    let fields = super::state::use_automation().fields;
    let kind = Memo::new(move |_| kinds.get().first().copied().unwrap_or(Kind::Perp));
    // Defaults that suit the scenario's kind of plan and assets.
    Effect::new(move |_| {
        let (perps, collateral, borrowable, debt) = assets.get();
        let k = kind.get();
        fields.update(|f| {
            if !perps.contains(&f.market) {
                f.market = perps.first().cloned().unwrap_or_default();
            }
            if !collateral.contains(&f.collateral) {
                f.collateral = collateral.first().cloned().unwrap_or_default();
            }
            if !borrowable.contains(&f.borrow) {
                f.borrow = borrowable
                    .iter()
                    .find(|b| **b == debt)
                    .or(borrowable.first())
                    .cloned()
                    .unwrap_or_default();
            }
            match k {
                Kind::Borrow if f.target.is_empty() => {
                    f.target = "1.6".into();
                    f.low = "1.3".into();
                    f.share = "100".into();
                }
                Kind::Vault if f.target.is_empty() => {
                    f.target = "200".into();
                    f.low = "170".into();
                    f.share = "60".into();
                }
                _ => {}
            }
        });
    });
    let strategy = Memo::new(move |_| build(kind.get(), &fields.get()));
    let attached = Memo::new(move |_| {
        lab.with(|s| {
            s.engine()
                .account(&AccountId::USER)
                .and_then(|a| a.automation.strategy.clone())
        })
        .flatten()
    });
    // What attaching would do now: the engine's own events, without changing anything.
    let preview = Memo::new(move |_| {
        let s = strategy.get()?;
        let cmd = Command::SetStrategy { strategy: s };
        lab.with(|x| {
            x.engine()
                .preview_events(AccountId::USER, &cmd)
                .map_err(|r| r.to_string())
        })
        .unwrap_or_else(|| Err("Start a scenario first.".into()))
    });
    let attach = move |_| {
        let Ok(s) = strategy.get_untracked() else {
            return;
        };
        let name = s.name.clone();
        match lab.update(|x| x.act(Command::SetStrategy { strategy: s })) {
            Some(Ok(_)) => lab.info(format!(
                "Strategy \"{name}\" attached: it acted now and will act on its own from here."
            )),
            Some(Err(e)) => lab.error(format!("Strategy refused: {e}")),
            None => lab.error("Start a scenario first."),
        }
    };
    let clear = move |_| match lab.update(|x| x.act(Command::ClearStrategy)) {
        Some(Ok(_)) => lab.info(
            "Strategy cleared: its orders and rules are cancelled; positions and debts stay.",
        ),
        Some(Err(e)) => lab.error(e),
        None => {}
    };
    let set = move |f: fn(&mut Fields, String)| {
        move |ev: leptos::ev::Event| fields.update(|x| f(x, event_target_value(&ev)))
    };

    view! {
        <section class="strategy" data-testid="strategy-editor" aria-labelledby="strategy-title">
            <h3 class="sub" id="strategy-title">"Strategy"</h3>
            {move || attached.get().map(|st| view! {
                <div class="notice info small" data-testid="strategy-attached">
                    <span>
                        <strong>{format!("\"{}\" is attached: ", st.strategy.name)}</strong>
                        {format!("{}. Entries so far: {}.", st.strategy.summary(), st.entries)}
                    </span>
                    <button class="btn small" data-testid="strategy-clear" on:click=clear>"Clear strategy"</button>
                </div>
            })}
            <Show when=move || attached.get().is_none()>
                <p class="small muted">"A named plan with parameters. Attaching it is one action at this tick: it acts at once (enters, deposits, borrows) and then by its own orders, rules and re-entries — in the link, in saved sessions and in the test across seeds below."</p>
                <div class="grid2">
                    <div class="field">
                        <label for="st-name">"Name"</label>
                        <input id="st-name" data-testid="st-name" prop:value=move || fields.get().name on:input=set(|f, v| f.name = v) />
                    </div>
                    <div class="field">
                        <label for="st-share">{move || match kind.get() { Kind::Perp => "Margin: % of cash", _ => "Deposit: % of the collateral" }}</label>
                        <input id="st-share" data-testid="st-share" inputmode="decimal" prop:value=move || fields.get().share on:input=set(|f, v| f.share = v) />
                    </div>
                </div>
                <Show when=move || kind.get() == Kind::Perp>
                    <div class="segmented" role="radiogroup" aria-label="Side">
                        <button type="button" role="radio" class="seg long" aria-checked=move || (fields.get().side == Side::Long).to_string() data-testid="st-long" on:click=move |_| fields.update(|f| f.side = Side::Long)>"Long"</button>
                        <button type="button" role="radio" class="seg short" aria-checked=move || (fields.get().side == Side::Short).to_string() data-testid="st-short" on:click=move |_| fields.update(|f| f.side = Side::Short)>"Short"</button>
                    </div>
                    <div class="grid2">
                        <div class="field">
                            <label for="st-market">"Market"</label>
                            <select id="st-market" data-testid="st-market" on:change=set(|f, v| f.market = v)>
                                {move || assets.get().0.into_iter().map(|m| { let sel = m == fields.get_untracked().market; view! { <option value=m.clone() selected=sel>{format!("{m}-PERP")}</option> } }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="st-lev">"Leverage ×"</label>
                            <input id="st-lev" data-testid="st-leverage" inputmode="decimal" prop:value=move || fields.get().leverage on:input=set(|f, v| f.leverage = v) />
                        </div>
                        <div class="field">
                            <label for="st-stop">"Stop-loss: % against entry"</label>
                            <input id="st-stop" data-testid="st-stop" inputmode="decimal" placeholder="none" prop:value=move || fields.get().stop on:input=set(|f, v| f.stop = v) />
                        </div>
                        <div class="field">
                            <label for="st-take">"Take-profit: % in favour"</label>
                            <input id="st-take" data-testid="st-take" inputmode="decimal" placeholder="none" prop:value=move || fields.get().take on:input=set(|f, v| f.take = v) />
                        </div>
                        <div class="field">
                            <label for="st-reenter">"Re-enter after (hours)"</label>
                            <input id="st-reenter" data-testid="st-reenter" inputmode="decimal" placeholder="never" prop:value=move || fields.get().reenter_hours on:input=set(|f, v| f.reenter_hours = v) />
                        </div>
                        <div class="field">
                            <label for="st-mode">"Margin"</label>
                            <select id="st-mode" data-testid="st-mode" on:change=move |ev| fields.update(|f| f.mode = if event_target_value(&ev) == "cross" { MarginMode::Cross } else { MarginMode::Isolated })>
                                <option value="isolated">"Isolated"</option>
                                <option value="cross">"Cross"</option>
                            </select>
                        </div>
                    </div>
                </Show>
                <Show when=move || kind.get() != Kind::Perp>
                    <div class="grid2">
                        <div class="field">
                            <label for="st-coll">"Collateral"</label>
                            <select id="st-coll" data-testid="st-collateral" on:change=set(|f, v| f.collateral = v)>
                                {move || assets.get().1.into_iter().map(|m| { let sel = m == fields.get_untracked().collateral; view! { <option value=m.clone() selected=sel>{m.clone()}</option> } }).collect_view()}
                            </select>
                        </div>
                        <Show when=move || kind.get() == Kind::Borrow>
                            <div class="field">
                                <label for="st-borrow">"Borrow"</label>
                                <select id="st-borrow" data-testid="st-borrow" on:change=set(|f, v| f.borrow = v)>
                                    {move || assets.get().2.into_iter().map(|m| { let sel = m == fields.get_untracked().borrow; view! { <option value=m.clone() selected=sel>{m.clone()}</option> } }).collect_view()}
                                </select>
                            </div>
                        </Show>
                        <div class="field">
                            <label for="st-target">{move || if kind.get() == Kind::Borrow { "Borrow to health" } else { "Draw to ratio (%)" }}</label>
                            <input id="st-target" data-testid="st-target" inputmode="decimal" prop:value=move || fields.get().target on:input=set(|f, v| f.target = v) />
                        </div>
                        <div class="field">
                            <label for="st-low">{move || if kind.get() == Kind::Borrow { "Auto-repay below health" } else { "Top up below ratio (%)" }}</label>
                            <input id="st-low" data-testid="st-low" inputmode="decimal" placeholder="never" prop:value=move || fields.get().low on:input=set(|f, v| f.low = v) />
                        </div>
                        <Show when=move || kind.get() == Kind::Borrow>
                            <div class="field">
                                <label for="st-high">"Boost above health"</label>
                                <input id="st-high" data-testid="st-high" inputmode="decimal" placeholder="never" prop:value=move || fields.get().high on:input=set(|f, v| f.high = v) />
                            </div>
                        </Show>
                    </div>
                </Show>
                <div class="preview" aria-live="polite" data-testid="strategy-preview">
                    {move || match (strategy.get(), preview.get()) {
                        (Err(e), _) => view! { <p class="rejection">{e}</p> }.into_any(),
                        (Ok(s), Ok(events)) => view! {
                            <p class="small"><strong>{s.summary()}</strong>". Attaching it now would:"</p>
                            <ul class="steps small">
                                {events.iter().filter(|k| !matches!(k, crate::engine::EventKind::StrategySet { .. })).map(|k| view! { <li>{k.describe()}</li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        (Ok(_), Err(e)) => view! { <p class="rejection" data-testid="strategy-rejection">{e}</p> }.into_any(),
                    }}
                </div>
                <button class="btn wide" data-testid="strategy-attach" disabled=move || preview.get().is_err() on:click=attach>"Attach strategy"</button>
            </Show>
        </section>
    }
}
