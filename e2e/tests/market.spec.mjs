// The market, as an educator uses it on the projector: the Black Thursday-like crash with 5,000
// other borrowers, the lender's view (health histogram, liquidation curve, totals) moving with
// playback, and the same crowd and crash run at two liquidation thresholds side by side.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, docScreenshot } from './pages/lab.mjs';

// The README's screenshot is rewritten only on request (UPDATE_DOCS=1).
const docs = (name, info) =>
  process.env.UPDATE_DOCS ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : info.outputPath(name);

/** How many pixels of a canvas are drawn (not transparent). */
function drawnPixels(page, testId) {
  return page.getByTestId(testId).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  });
}

/** "12,345.67" (with any currency sign or spaces) as a number. */
function amount(text) {
  return Number((text ?? '').replace(/[^0-9.\-]/g, ''));
}

test('an educator plays a crowd crash and compares it at two liquidation thresholds', async ({ page }, info) => {
  test.setTimeout(240_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.tid('pick-feed').selectOption('eth-black-thursday-crowd');
  await lab.tid('pick-preset').selectOption('AaveV3');
  await lab.tid('crowd-count').fill('5000');
  await lab.tid('start').click();
  await expect(lab.statusInfo).toContainText('Scenario ready', { timeout: 60_000 });

  // The event log lists the learner's own events: the crowd's are one click away (and shown as
  // totals in the Market tab), even though the log was on the page before the crowd arrived.
  await lab.tab('events');
  await expect(lab.tid('crowd-events-note')).toContainText('5000 other borrowers');
  await expect(lab.tid('event-list')).not.toContainText('account #');

  // The lender's view before the crash: every borrower is healthy, debt is owed, nothing is bad.
  await lab.tab('market');
  await expect(lab.tid('market-totals')).toBeVisible();
  expect(amount(await lab.tid('mt-debt').textContent())).toBeGreaterThan(0);
  expect(amount(await lab.tid('mt-bad-debt').textContent())).toBe(0);
  await expect.poll(() => drawnPixels(page, 'health-histogram')).toBeGreaterThan(500);
  await expect.poll(() => drawnPixels(page, 'liquidation-curve')).toBeGreaterThan(500);

  // Played to the end at Max speed, the crash liquidates part of the crowd; the histogram moves.
  const before = await lab.tid('health-histogram').evaluate((c) => c.toDataURL());
  await lab.tid('speed').selectOption('Max');
  await lab.play.click();
  const last = await lab.lastTick();
  await expect(lab.tick).toHaveText(`tick ${last} / ${last}`, { timeout: 120_000 });
  await expect(lab.tid('market-activity-summary')).toContainText(/liquidat/i);
  const after = await lab.tid('health-histogram').evaluate((c) => c.toDataURL());
  expect(after).not.toEqual(before);
  await expect.poll(() => drawnPixels(page, 'market-activity')).toBeGreaterThan(200);

  // The same crowd and crash with the thresholds as the preset has them (A) and five points
  // higher (B: less buffer between borrowing and liquidation).
  await lab.tid('buffer-a-shift').fill('0');
  await lab.tid('buffer-b-shift').fill('0.05');
  await lab.tid('buffer-compare').click();
  const rows = lab.tid('buffer-results').locator('tbody tr');
  await expect(rows).toHaveCount(2, { timeout: 180_000 });
  await expect(lab.tid('buffer-progress')).toHaveText('', { timeout: 30_000 });
  const liquidated = (await lab.tid('br-liquidated').allTextContents()).map(amount);
  const badDebt = (await lab.tid('br-bad-debt').allTextContents()).map(amount);
  expect(liquidated).toHaveLength(2);
  expect(badDebt).toHaveLength(2);
  // Both runs liquidate; a thinner buffer never leaves less bad debt behind.
  expect(liquidated[0]).toBeGreaterThan(0);
  expect(liquidated[1]).toBeGreaterThan(0);
  expect(badDebt[1]).toBeGreaterThanOrEqual(badDebt[0]);
  test.info().annotations.push({
    type: 'buffer',
    description: `liquidated A ${liquidated[0]} / B ${liquidated[1]}; bad debt A ${badDebt[0]} / B ${badDebt[1]}`,
  });

  await lab.tid('market').scrollIntoViewIfNeeded();
  await docScreenshot(page, docs('market.png', info));
  expect(problems).toEqual([]);
});
