// Journey: a learner opens a position, reads its value at risk (three methods, liquidation
// probability, the loss histogram) and runs the Black Thursday stress test on it; then opens the
// risk report and saves it as JSON.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, docScreenshot } from './pages/lab.mjs';
import { RiskDesk } from './pages/risk.mjs';

const docs = (name, info) =>
  process.env.UPDATE_DOCS ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : info.outputPath(name);

test('a learner reads the value at risk and runs the Black Thursday stress test on an open position', async ({ page }, info) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  const desk = new RiskDesk(page, lab);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange' });
  // A 5× long of 10 ETH, then a day of prices.
  await lab.fillTicket({ side: 'long', size: 10, leverage: 5 });
  await lab.tid('submit-order').click();
  await expect(lab.statusInfo).toContainText('Order filled');
  for (let i = 0; i < 24; i++) await lab.step.click();
  await expect(lab.tick).toHaveText(/^tick 24 \//);

  // Value at risk, 99% over one day: every method side by side.
  await desk.computeVar({ horizon: '86400', confidence: '0.99' });
  await expect(desk.tid('var-meta')).toContainText('99% over 1 day');
  await expect(desk.tid('var-meta')).toContainText('computed at tick 24');
  const mcVar = await desk.money('var-var-mc');
  const mcEs = await desk.money('var-es-mc');
  const paramVar = await desk.money('var-var-param');
  expect(mcVar).toBeGreaterThan(0);
  expect(mcEs).toBeGreaterThanOrEqual(mcVar);
  expect(paramVar).toBeGreaterThan(0);
  // The historical method uses this session's own 24 past ticks (one 1-day window is missing: none).
  await expect(desk.tid('var-var-hist')).toHaveText(/^—$|^[\d,.-]+$/);
  await expect(desk.tid('var-pliq-mc')).toHaveText(/^\d+\.\d% ± \d+\.\d%$/);
  await expect(desk.tid('var-n-mc')).toHaveText('1000');
  await expect(desk.tid('var-panel')).toContainText("scenario's own simulator");
  await expect(desk.tid('var-histogram')).toBeVisible();
  const box = await desk.tid('var-histogram').boundingBox();
  expect(box.height).toBeGreaterThan(100);
  // The figures belong to this tick; a step makes them stale, and says so.
  await lab.step.click();
  await expect(desk.tid('var-stale')).toBeVisible();
  await desk.tid('var-run').click();
  await expect(desk.tid('var-stale')).toHaveCount(0, { timeout: 120_000 });
  await page.screenshot({ path: info.outputPath('risk-var.png'), fullPage: true });

  // Black Thursday on the open position: ETH −43% through the engine. A 5× long does not
  // survive: the row says what was liquidated and what it cost — about its whole margin
  // (10 ETH at about 200, 5×: some 400), no more: the engine caps what a linear P&L would not.
  const row = await desk.runShock('black-thursday');
  await expect(row).toContainText('ETH −43');
  await expect(desk.tid('stress-liquidated-black-thursday')).toContainText('ETH');
  const loss = await desk.money('stress-loss-black-thursday');
  expect(loss).toBeGreaterThan(300);
  expect(loss).toBeLessThan(450);
  await row.getByRole('button', { name: 'Events' }).click();
  await expect(desk.tid('stress-events')).toContainText(/liquidated at mark/);
  const shot = await docScreenshot(page, docs('risk-desk.png', info));
  expect(shot.length).toBeGreaterThan(50_000);

  // The report gathers the valuation, the VaR and the stress test; it saves as JSON.
  await desk.open('report');
  await desk.tid('risk-open-report').click();
  const report = desk.tid('risk-report');
  await expect(report).toBeVisible();
  await expect(report).toContainText('Margin Lab risk report');
  await expect(desk.tid('report-var')).toContainText('Monte Carlo');
  await expect(desk.tid('report-stress')).toContainText('Black Thursday');
  await expect(desk.tid('report-audit')).toContainText('opened');
  await page.screenshot({ path: info.outputPath('risk-report.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), desk.tid('report-json').click()]);
  expect(download.suggestedFilename()).toBe('margin-lab-risk-report.json');
  const json = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(json.title).toBe('Margin Lab risk report');
  expect(json.value_at_risk.monte_carlo.paths).toBe(1000);
  expect(json.stress_tests[0].id).toBe('black-thursday');
  expect(json.log_hash).toMatch(/^[0-9a-f]{64}$/);
  // Printed, only the report shows.
  await page.emulateMedia({ media: 'print' });
  await expect(lab.tid('order-ticket')).toBeHidden();
  await expect(report).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await desk.tid('report-close').click();
  await expect(report).toHaveCount(0);

  expect(problems).toEqual([]);
});
