// Journey 2: an educator posts ETH and WBTC under Aave v3-like rules, borrows USDC, then compares
// the single-collateral vault design with the pooled one.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, docScreenshot } from './pages/lab.mjs';

// The README's screenshots are rewritten only on request (UPDATE_DOCS=1); otherwise they go to
// the test output with the others.
const docs = (name, info) =>
  process.env.UPDATE_DOCS ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : info.outputPath(name);

/**
 * Fills the collateral form, checks the preview shows the health after, submits, and checks the
 * dashboard's health is the one the preview promised. Returns the preview text.
 */
async function collateral(lab, verb, asset, amount) {
  await lab.tid('c-verb').selectOption(verb);
  await lab.tid('c-asset').selectOption(asset);
  await lab.tid('c-amount').fill(String(amount));
  const preview = lab.tid('collateral-preview');
  await expect(preview).toHaveText(/^After: health \S+ · borrow limit [\d,]+\.\d{2} · available [\d,]+\.\d{2} USDC$/);
  await expect(lab.tid('c-submit')).toBeEnabled();
  const text = (await preview.textContent()) ?? '';
  const healthAfter = /After: health (\S+)/.exec(text)[1];
  await lab.tid('c-submit').click();
  await expect(lab.statusInfo).toBeVisible();
  await expect(lab.tid('health-value')).toHaveText(healthAfter);
  return text;
}

test('an educator deposits ETH and WBTC, borrows USDC, and compares single vs multi-collateral', async ({ page }, info) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'AaveV3', design: 'multi' });

  await lab.tab('collateral');
  await expect(lab.tid('collateral-form')).toBeVisible();

  // The asset table shows each asset's LTV, liquidation threshold, haircut and borrowing power.
  const table = lab.tid('asset-table');
  for (const h of ['LTV', 'LT', 'Haircut', 'Borrowing power']) {
    await expect(table.locator('thead th', { hasText: new RegExp(`^${h}$`) })).toHaveCount(1);
  }
  const row = (asset) => table.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${asset}$`) }) });
  await expect(row('ETH')).toHaveCount(1);
  await expect(row('WBTC')).toHaveCount(1);
  await expect(row('USDC')).toHaveCount(1);
  // LTV and LT are percentages; nothing posted yet, so no borrowing power.
  await expect(row('ETH').locator('td').nth(3)).toHaveText(/%$/);
  await expect(row('ETH').locator('td').nth(4)).toHaveText(/%$/);
  await expect(row('ETH').locator('td').nth(7)).toHaveText('—');

  // Deposits only (no debt yet): the health after is unbounded.
  const depEth = await collateral(lab, 'Deposit', 'ETH', 2);
  await expect(lab.statusInfo).toContainText(/deposit/i);
  await expect(row('ETH').locator('td').nth(7)).toHaveText(/^[\d,]+\.\d{2}$/);
  const depWbtc = await collateral(lab, 'Deposit', 'WBTC', 0.05);
  await expect(lab.statusInfo).toContainText(/deposit/i);
  await expect(row('WBTC').locator('td').nth(7)).toHaveText(/^[\d,]+\.\d{2}$/);
  const borrow = await collateral(lab, 'Borrow', 'USDC', 300);
  await expect(lab.statusInfo).toHaveText('your account borrowed 300 USDC.');
  // With debt, the health is a finite number above 1, and the dashboard shows the debt.
  expect(borrow).toMatch(/^After: health \d+\.\d{3} /);
  expect(Number(/health (\S+)/.exec(borrow)[1])).toBeGreaterThan(1);
  await expect(lab.tid('m-debt')).toHaveText('300.00');
  // The dashboard's borrow limit is the sum of the per-asset borrowing power.
  const num = (t) => Number(String(t).replace(/,/g, ''));
  const powers = await Promise.all(['ETH', 'WBTC'].map((a) => row(a).locator('td').nth(7).textContent()));
  const limit = num(await lab.tid('m-borrow-limit').textContent());
  expect(limit).toBeGreaterThan(0);
  expect(Math.abs(powers.map(num).reduce((x, y) => x + y, 0) - limit)).toBeLessThan(0.02);
  info.annotations.push({ type: 'previews', description: [depEth, depWbtc, borrow].join(' | ') });

  await page.screenshot({ path: info.outputPath('collateral.png'), fullPage: true });

  // Compare: the same actions under single-collateral vaults and under the pool.
  await lab.tab('compare');
  await lab.tid('run-compare').click();
  const verdict = lab.tid('compare-verdict');
  await expect(verdict).toBeVisible({ timeout: 30_000 });
  await expect(verdict).toHaveText(/\S.*\.$/);
  // The pool lends against the sum of both collaterals; the verdict says which set-up lent more.
  await expect(verdict).toContainText('let you borrow up to');
  const cmp = lab.tid('compare-table');
  const heads = cmp.locator('thead th');
  await expect(heads).toHaveCount(3);
  const titles = await heads.allTextContents();
  expect(titles.slice(1).sort()).toEqual(
    ['Aave v3-like · Multi-collateral (pooled)', 'Aave v3-like · Single-collateral vaults'].sort(),
  );
  // Every row has a figure in both columns (margin calls and the equity change included).
  const rows = cmp.locator('tbody tr');
  await expect(rows).toHaveCount(10);
  for (let i = 0; i < 10; i++) {
    const cells = rows.nth(i).locator('td');
    await expect(cells).toHaveCount(2);
    await expect(cells.nth(0)).not.toBeEmpty();
    await expect(cells.nth(1)).not.toBeEmpty();
  }
  await expect(lab.tid('compare-chart')).toBeVisible();

  const shot = await docScreenshot(page, docs('compare-mode.png', info));
  expect(shot.length).toBeGreaterThan(50_000);
  expect(problems).toEqual([]);
});
