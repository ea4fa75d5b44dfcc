// Journey: a broker's margin account in the March 2020 crash (recorded S&P 500). The learner
// posts S&P 500 and borrows what Reg T allows; as the index falls the broker calls for margin
// with a deadline. In one run the call is met before it; in another it is missed and the broker
// sells. Then compare mode puts the broker next to an Aave-like preset on the Black
// Thursday-like crash: a margin call with a cure period against an instant liquidation.
import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';
import { RiskDesk } from './pages/risk.mjs';

async function borrowToTheLimit(lab) {
  await lab.start({ feed: 'sp500-2020', preset: 'Broker' });
  await lab.tab('collateral');
  await lab.tid('c-verb').selectOption('Deposit');
  await lab.tid('c-asset').selectOption('SPX');
  await lab.tid('c-amount').fill('5.5');
  await lab.tid('c-submit').click();
  await expect(lab.statusInfo).toBeVisible();
  await lab.tid('c-verb').selectOption('Borrow');
  await lab.tid('c-asset').selectOption('USD');
  await lab.tid('c-amount').fill('7600');
  await expect(lab.tid('collateral-preview')).toContainText('health');
  await lab.tid('c-submit').click();
  await expect(lab.tid('m-debt')).toHaveText('7,600.00');
}

test('a broker margin call is met before its deadline', async ({ page }, info) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  const desk = new RiskDesk(page, lab);
  await lab.open();
  await borrowToTheLimit(lab);
  // The client is enrolled in the broker's credit tiers from the start.
  await desk.open('credit');
  await expect(desk.tid('credit-tier')).toHaveText('Tier C (standard)');

  await desk.stepUntilMarginCall();
  await expect(desk.banner).toContainText('Margin call');
  await expect(desk.tid('margin-call-deadline')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  await page.screenshot({ path: info.outputPath('margin-call.png'), fullPage: true });
  // Met before the deadline: repay the deficit from the cash in the account.
  await desk.tid('margin-call-repay').click();
  await expect(lab.statusInfo).toContainText('Margin call met');
  await expect(desk.banner).toHaveCount(0);
  // Days go by: no forced sale; the met call counts for the credit score at the next review.
  for (let i = 0; i < 5; i++) await lab.step.click();
  await lab.tab('events');
  await expect(lab.tid('event-list')).toContainText('Margin call of your account met');
  await expect(lab.tid('event-list')).not.toContainText('Forced sale');
  await desk.open('credit');
  await expect(desk.tid('credit-items')).toContainText('1 met on time');
  expect(problems).toEqual([]);
});

test('a broker margin call is missed: the broker sells after the deadline', async ({ page }, info) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  const desk = new RiskDesk(page, lab);
  await lab.open();
  await borrowToTheLimit(lab);
  await desk.stepUntilMarginCall();
  const callTick = await lab.tickNumber();
  // Nothing done: the next trading day is past the deadline; the broker sells.
  await lab.step.click();
  await expect(desk.banner).toHaveCount(0);
  await lab.tab('events');
  await expect(lab.tid('event-list')).toContainText('Margin call of your account missed');
  await expect(lab.tid('event-list')).toContainText('Forced sale of your account');
  await expect(lab.tid('liquidation-explainer')).toBeVisible();
  expect(await lab.tickNumber()).toBe(callTick + 1);
  await lab.step.click();
  await desk.open('credit');
  await expect(desk.tid('credit-items')).toContainText('1 missed');
  await expect(desk.tid('credit-history')).toContainText(/tier worsened/);

  expect(problems).toEqual([]);
});

test('compare mode: the broker calls for margin where Aave-like rules liquidate at once', async ({ page }, info) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'Broker' });
  // 150 ETH (about 30,000) posted, half its value borrowed: the most Reg T lends.
  await lab.tab('collateral');
  await lab.tid('c-verb').selectOption('Deposit');
  await lab.tid('c-asset').selectOption('ETH');
  await lab.tid('c-amount').fill('150');
  await lab.tid('c-submit').click();
  await lab.tid('c-verb').selectOption('Borrow');
  await lab.tid('c-asset').selectOption('USD');
  await lab.tid('c-amount').fill('15000');
  await lab.tid('c-submit').click();
  await expect(lab.tid('m-debt')).toHaveText('15,000.00');
  await lab.tab('compare');
  await page.getByRole('radio', { name: /Against another preset/ }).check();
  await page.getByLabel('Other preset', { exact: true }).selectOption('AaveV3');
  await lab.tid('run-compare').click();
  const table = lab.tid('compare-table');
  const cells = (label) => table.locator('tr', { hasText: label }).locator('td');
  // The same position under both (the Aave-like learner gets the same ETH and cash): nothing skipped.
  await expect(cells('Actions that did not fit')).toHaveText(['none', 'none']);
  await expect(cells('Margin calls (met / missed)').first()).toHaveText(/^[1-9]\d* \(\d+ \/ \d+\)$/);
  await expect(cells('Margin calls (met / missed)').nth(1)).toHaveText('none');
  expect(Number(await cells('Liquidations').nth(1).textContent())).toBeGreaterThan(0);
  await expect(lab.tid('compare-verdict')).toContainText('margin calls with a cure period');
  await page.screenshot({ path: info.outputPath('broker-compare.png'), fullPage: true });
  expect(problems).toEqual([]);
});
