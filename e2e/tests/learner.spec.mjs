// Journey 1: a learner opens a 10× long on the ETH crash, is liquidated, reads why, exports the log.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, docScreenshot } from './pages/lab.mjs';

// The README's screenshots are rewritten only on request (UPDATE_DOCS=1); otherwise they go to
// the test output with the others.
const docs = (name, info) =>
  process.env.UPDATE_DOCS ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : info.outputPath(name);

test('a 10× long on the ETH crash is liquidated, explained, highlighted and exported', async ({ page }, info) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange' });

  // The ticket previews a 10× long before anything is submitted.
  await lab.fillTicket({ side: 'long', size: 40, leverage: 10 });
  const preview = lab.tid('ticket-preview');
  await expect(lab.tid('ticket-rejection')).toHaveCount(0);
  await expect(lab.tid('preview-liq')).toHaveText(/^\$?[\d,]+(\.\d+)?$/);
  await expect(lab.tid('preview-margin')).toHaveText(/[\d,]+\.\d{2}/);
  await expect(preview).toContainText('Liquidation price');
  await expect(lab.tid('submit-order')).toBeEnabled();
  const num = (t) => Number(String(t).replace(/[$,]/g, ''));
  const liqText = (await lab.tid('preview-liq').textContent()).trim();
  const markText = await preview.locator('tr', { hasText: 'Mark price' }).locator('td').textContent();
  // A 10× long is liquidated roughly 10% below the mark (less the maintenance margin).
  expect(num(liqText)).toBeLessThan(num(markText));
  expect(num(liqText)).toBeGreaterThan(num(markText) * 0.85);

  // An order far beyond the cash is refused in plain words, and cannot be submitted.
  await lab.tid('t-size').fill('100000');
  await expect(lab.tid('ticket-rejection')).toBeVisible();
  await expect(lab.tid('ticket-rejection')).toHaveText(
    /^Opening 100,?000 ETH long at 10x needs \$[\d,.]+ of margin but only \$10,000 is available/,
  );
  await expect(lab.tid('submit-order')).toBeDisabled();
  const reason = (await lab.tid('ticket-rejection').textContent()) ?? '';
  expect(reason.length).toBeGreaterThan(15);
  expect(reason).not.toMatch(/Err\(|\{|panicked|undefined/);

  // Back to 40 units and submit.
  await lab.tid('t-size').fill('40');
  await expect(lab.tid('submit-order')).toBeEnabled();
  await lab.tid('submit-order').click();
  await expect(lab.statusInfo).toContainText('Order filled');
  await expect(lab.tid('positions')).toBeVisible();
  await expect(lab.tid('close-position')).toHaveCount(1);
  // The open position carries the liquidation price the preview promised.
  await expect(lab.tid('positions').locator('tbody tr').first()).toContainText(liqText);

  // Play at Max speed: playback pauses itself on the liquidation.
  await expect(lab.tid('pause-on-liquidation')).toBeChecked();
  await lab.tid('speed').selectOption('Max');
  await lab.play.click();
  await expect(lab.statusInfo).toContainText('Paused: your account was liquidated', { timeout: 60_000 });
  await expect(lab.play).toHaveText('▶ Play');
  const stoppedAt = await lab.tickNumber();
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(await lab.lastTick());

  // The explainer says what triggered it, the margin ratio and the fee.
  const explainer = lab.tid('liquidation-explainer');
  await expect(explainer).toBeVisible();
  await expect(explainer).toContainText('Liquidation of your');
  await expect(explainer).toContainText('Trigger: the oracle price of');
  await expect(explainer).toContainText('margin ratio');
  await expect(explainer).toContainText('Liquidation fee to the insurance fund');
  await expect(explainer).toContainText('1 liquidation(s) so far');
  // The position is gone.
  await expect(lab.tid('positions')).toHaveCount(0);

  // The event log highlights the learner's liquidation.
  await lab.tab('events');
  const highlighted = lab.tid('event-list').locator('li.highlight');
  await expect(highlighted).toHaveCount(1);
  await expect(highlighted).toContainText(/liquidat/i);

  const shot = await docScreenshot(page, docs('liquidation-explained.png', info));
  expect(shot.length).toBeGreaterThan(50_000);
  await page.screenshot({ path: info.outputPath('liquidation-explained.png'), fullPage: true });

  // CSV export holds the header and the liquidation.
  const [download] = await Promise.all([page.waitForEvent('download'), lab.tid('export-csv').click()]);
  expect(download.suggestedFilename()).toBe('margin-lab-events.csv');
  const csv = await readFile(await download.path(), 'utf8');
  await download.saveAs(info.outputPath('margin-lab-events.csv'));
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('seq,time,category,account,description,detail');
  const liquidationRows = lines.slice(1).filter((l) => /liquidation/i.test(l.split(',')[2] ?? ''));
  expect(liquidationRows.length).toBeGreaterThan(0);
  expect(liquidationRows.some((l) => /liquidat/i.test(l) && /you|user|learner/i.test(l))).toBeTruthy();

  expect(problems).toEqual([]);
});
