// Faithful systems: a learner turns on Aave's e-mode and sees borrowing power rise; a Liquity
// market enters recovery mode in a crash and the dashboard says so; an old link says which rules
// it was made with and replays under the current ones on request.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';

const money = (text) => Number(/([\d,]+\.\d{2})/.exec(text)[1].replace(/,/g, ''));

test('a learner switches e-mode on and borrowing power rises', async ({ page }) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ preset: 'AaveV3', design: 'multi' });
  await lab.tab('collateral');
  await expect(lab.tid('emode')).toBeVisible();
  await lab.tid('c-verb').selectOption('Deposit');
  await lab.tid('c-asset').selectOption('wstETH');
  await lab.tid('c-amount').fill('2');
  await lab.tid('c-submit').click();
  await expect(lab.statusInfo).toContainText(/deposited 2 wstETH/);
  const power = lab.tid('borrowing-power');
  await expect(power).toContainText('Borrowing power');
  const before = money(await power.textContent());
  expect(before).toBeGreaterThan(0);
  await lab.tid('emode-select').selectOption('1');
  await expect(lab.statusInfo).toContainText('switched e-mode on');
  await expect(power).not.toHaveText(`Borrowing power ${before}`);
  const after = money(await power.textContent());
  // wstETH alone: 78.5% LTV becomes the category's 93% (DOMAIN.md, Aave e-mode).
  expect(after / before).toBeCloseTo(0.93 / 0.785, 3);
  // The asset table shows the category's LTV for wstETH now.
  const row = lab.tid('asset-table').locator('tbody tr', { has: page.locator('th', { hasText: /^wstETH$/ }) });
  await expect(row.locator('td').nth(3)).toHaveText('93.00%');
  // Borrowing outside the category is refused with the reason.
  await lab.tid('c-verb').selectOption('Borrow');
  await lab.tid('c-asset').selectOption('USDC');
  await lab.tid('c-amount').fill('100');
  await expect(lab.tid('collateral-preview')).toContainText('outside it');
  await expect(lab.tid('c-submit')).toBeDisabled();
  expect(problems).toEqual([]);
});

test('a Liquity market enters recovery mode in the crash and the dashboard says so', async ({ page }) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ preset: 'LiquityV1', design: 'single', seed: 42 });
  await expect(lab.tid('system-tcr')).toContainText('recovery mode below 150.00%');
  await expect(lab.tid('recovery-mode')).toHaveCount(0);
  // The crash takes the system's total collateral ratio below 150% (tick 68 for seed 42).
  await lab.seek(80);
  await expect(lab.tid('recovery-mode')).toBeVisible();
  await expect(lab.tid('recovery-mode')).toContainText('below 150.00%');
  await lab.tab('events');
  await expect(page.getByText(/^Recovery mode: the system's total collateral ratio is/).first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('a link made with the 2026-11 rules says so and replays under the current rules on request', async ({ page }) => {
  const problems = watchConsole(page);
  const fixture = fileURLToPath(new URL('../../tests/fixtures/links/v1-aave-borrow.txt', import.meta.url));
  const link = readFileSync(fixture, 'utf8').split('\n')[0];
  const lab = new Lab(page);
  await lab.open(`/#${link}`);
  await expect(lab.tid('replay-verified')).toBeVisible();
  await expect(lab.tid('rules-notice')).toContainText('Made with the 2026-11 rules');
  await lab.tid('replay-current-rules').click();
  await expect(lab.statusInfo).toContainText('under the 2026-12 rules');
  await expect(lab.tid('rules-notice')).toHaveCount(0);
  expect(problems).toEqual([]);
});
