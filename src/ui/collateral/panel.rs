use leptos::prelude::*;

use crate::engine::{AccountId, AssetClass, AssetId, CollateralDesign, Command};
use crate::ui::state::use_lab;
use crate::ui::ticket::order_ticket::parse_amount;
use crate::ui::util::format;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Deposit,
    Withdraw,
    Borrow,
    Repay,
}

impl Verb {
    const ALL: [Verb; 4] = [Verb::Deposit, Verb::Withdraw, Verb::Borrow, Verb::Repay];
    fn label(self, design: CollateralDesign) -> &'static str {
        match (self, design) {
            (Verb::Deposit, _) => "Deposit",
            (Verb::Withdraw, _) => "Withdraw",
            (Verb::Borrow, CollateralDesign::SingleCollateral) => "Generate (borrow) against vault",
            (Verb::Borrow, CollateralDesign::MultiCollateral) => "Borrow",
            (Verb::Repay, _) => "Repay",
        }
    }
}

fn class_name(c: AssetClass) -> &'static str {
    match c {
        AssetClass::Stablecoin => "stablecoin",
        AssetClass::TokenizedTBill => "tokenized T-bill",
        AssetClass::TokenizedEquity => "tokenized equity",
        AssetClass::WrappedBtc => "wrapped BTC",
        AssetClass::StakedEth => "staked ETH",
        AssetClass::VolatileAlt => "volatile",
    }
}

/// The command for the form: in the vault design `asset` names the vault's collateral and borrow /
/// repay are in the debt asset; in the pooled design `asset` is what is deposited or borrowed.
fn command(
    design: CollateralDesign,
    verb: Verb,
    asset: &str,
    amount: &str,
) -> Result<Command, String> {
    let amount = parse_amount(amount).ok_or("The amount must be a number, like 1.5.")?;
    let a = AssetId::new(asset);
    Ok(match (design, verb) {
        (CollateralDesign::MultiCollateral, Verb::Deposit) => Command::Deposit { asset: a, amount },
        (CollateralDesign::MultiCollateral, Verb::Withdraw) => {
            Command::Withdraw { asset: a, amount }
        }
        (CollateralDesign::MultiCollateral, Verb::Borrow) => Command::Borrow { asset: a, amount },
        (CollateralDesign::MultiCollateral, Verb::Repay) => Command::Repay { asset: a, amount },
        (CollateralDesign::SingleCollateral, Verb::Deposit) => Command::VaultDeposit {
            collateral: a,
            amount,
        },
        (CollateralDesign::SingleCollateral, Verb::Withdraw) => Command::VaultWithdraw {
            collateral: a,
            amount,
        },
        (CollateralDesign::SingleCollateral, Verb::Borrow) => Command::VaultBorrow {
            collateral: a,
            amount,
        },
        (CollateralDesign::SingleCollateral, Verb::Repay) => Command::VaultRepay {
            collateral: a,
            amount,
        },
    })
}

#[component]
pub fn CollateralPanel() -> impl IntoView {
    let lab = use_lab();
    let design = Memo::new(move |_| {
        lab.with(|s| s.config().design)
            .unwrap_or(CollateralDesign::MultiCollateral)
    });
    let debt = Memo::new(move |_| {
        lab.with(|s| s.config().debt_asset.to_string())
            .unwrap_or_default()
    });
    let assets = Memo::new(move |_| lab.with(|s| s.config().assets.clone()).unwrap_or_default());
    let metrics = Memo::new(move |_| {
        lab.with(|s| s.engine().account_metrics(&AccountId::USER).ok())
            .flatten()
    });
    let verb = RwSignal::new(Verb::Deposit);
    let asset = RwSignal::new(String::new());
    let amount = RwSignal::new("1".to_string());
    Effect::new(move |_| {
        let list = assets.get();
        if !list.iter().any(|a| a.id.as_str() == asset.get_untracked()) {
            let first = list
                .iter()
                .find(|a| a.class != AssetClass::Stablecoin)
                .or(list.first());
            asset.set(first.map(|a| a.id.to_string()).unwrap_or_default());
        }
    });

    let cmd = Memo::new(move |_| command(design.get(), verb.get(), &asset.get(), &amount.get()));
    let preview = Memo::new(move |_| {
        let c = cmd.get()?;
        lab.with(|s| s.preview(&c))
            .unwrap_or_else(|| Err("Start a scenario first.".into()))
    });
    let submit = move |_| {
        let c = match cmd.get_untracked() {
            Ok(c) => c,
            Err(e) => return lab.error(e),
        };
        match lab.update(|s| s.act(c)) {
            Some(Ok(events)) => {
                if let Some(e) = events.first() {
                    lab.info(e.describe());
                }
            }
            Some(Err(e)) => lab.error(e),
            None => lab.error("Start a scenario first."),
        }
    };

    view! {
        <super::AccountModes />
        <form class="collateral-form" data-testid="collateral-form" on:submit=move |ev| { ev.prevent_default(); submit(()); }>
            <div class="grid3">
                <div class="field">
                    <label for="c-verb">"Action"</label>
                    <select id="c-verb" data-testid="c-verb" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(x) = Verb::ALL.into_iter().find(|x| format!("{x:?}") == v) {
                            verb.set(x);
                            if design.get_untracked() == CollateralDesign::MultiCollateral && matches!(x, Verb::Borrow | Verb::Repay) {
                                asset.set(debt.get_untracked());
                            }
                        }
                    }>
                        {move || Verb::ALL.into_iter().map(|x| view! {
                            <option value=format!("{x:?}") selected=move || verb.get() == x>{x.label(design.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="c-asset">{move || if design.get() == CollateralDesign::SingleCollateral { "Vault (collateral)" } else { "Asset" }}</label>
                    <select id="c-asset" data-testid="c-asset" on:change=move |ev| asset.set(event_target_value(&ev))>
                        {move || assets.get().into_iter().map(|a| {
                            let id = a.id.to_string();
                            view! { <option value=id.clone() selected=move || asset.get() == id>{a.id.to_string()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="c-amount">"Amount"</label>
                    <input id="c-amount" data-testid="c-amount" inputmode="decimal" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                </div>
            </div>
            <p class="small" aria-live="polite" data-testid="collateral-preview">
                {move || match preview.get() {
                    Ok(after) => format!(
                        "After: health {} · borrow limit {} · available {} {}",
                        format::ratio(after.health()),
                        format::money(after.borrow_limit, 2),
                        format::money(after.available_to_borrow, 2),
                        debt.get()
                    ),
                    Err(e) => e,
                }}
            </p>
            <button class="btn primary" type="submit" data-testid="c-submit" disabled=move || preview.get().is_err()>"Submit"</button>
        </form>
        <div class="table-scroll">
            <table class="assets" data-testid="asset-table">
                <thead><tr>
                    <th>"Asset"</th><th>"Class"</th><th class="num">"Wallet"</th><th class="num">"Posted"</th>
                    <th class="num" title="Loan-to-value: borrowing power per unit of collateral value">"LTV"</th>
                    <th class="num" title="Liquidation threshold: weight in the health factor">"LT"</th>
                    <th class="num" title="Single-collateral vaults: minimum collateral ratio">"Liq. ratio"</th>
                    <th class="num" title="Valuation haircut before LTV / LT">"Haircut"</th>
                    <th class="num" title="Value after haircut × LTV">"Borrowing power"</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let m = metrics.get();
                        assets.get().into_iter().map(|a| {
                            let wallet = m.as_ref().and_then(|m| m.wallet.iter().find(|(x, _)| *x == a.id).map(|(_, v)| *v)).unwrap_or_default();
                            let line = m.as_ref().and_then(|m| m.collateral.iter().find(|l| l.asset == a.id).cloned());
                            let vault = m.as_ref().and_then(|m| m.vaults.iter().find(|v| v.collateral_asset == a.id).cloned());
                            let posted = line.as_ref().map(|l| l.amount).or(vault.as_ref().map(|v| v.collateral)).unwrap_or_default();
                            view! {
                                <tr>
                                    <th scope="row">{a.id.to_string()}</th>
                                    <td class="muted">{class_name(a.class)}</td>
                                    <td class="num">{format::money(wallet, 4)}</td>
                                    <td class="num">{format::money(posted, 4)}</td>
                                    <td class="num">{format::pct(line.as_ref().map_or(a.ltv, |l| l.ltv))}</td>
                                    <td class="num">{format::pct(line.as_ref().map_or(a.liquidation_threshold, |l| l.liquidation_threshold))}</td>
                                    <td class="num">{format::pct(a.liquidation_ratio)}</td>
                                    <td class="num">{format::pct(a.haircut)}</td>
                                    <td class="num">{line.map(|l| format::money(l.borrowing_power, 2)).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <Show when=move || metrics.get().is_some_and(|m| !m.vaults.is_empty())>
            <h3 class="sub">"Vaults"</h3>
            <table class="vaults" data-testid="vault-table">
                <thead><tr><th>"Collateral"</th><th class="num">"Posted"</th><th class="num">"Debt"</th><th class="num">"Ratio"</th><th class="num">"Minimum"</th><th class="num">"Liq. price"</th><th class="num">"Can generate"</th></tr></thead>
                <tbody>
                    {move || metrics.get().map(|m| m.vaults.into_iter().map(|v| view! {
                        <tr class:liquidatable=v.liquidatable>
                            <th scope="row">{v.collateral_asset.to_string()}</th>
                            <td class="num">{format::money(v.collateral, 4)}</td>
                            <td class="num">{format::money(v.debt, 2)}</td>
                            <td class="num">{v.collateral_ratio.map(format::pct).unwrap_or_else(|| "∞".into())}</td>
                            <td class="num">{format::pct(v.liquidation_ratio)}</td>
                            <td class="num">{v.liquidation_price.map(format::price).unwrap_or_else(|| "none".into())}</td>
                            <td class="num">{format::money(v.available_to_borrow, 2)}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </Show>
    }
}
