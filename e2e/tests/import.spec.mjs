// Journey: a learner imports their own price file; a bad file is refused with the line at fault;
// the session's link carries the prices and verifies in a page that never saw the file.
// Also: a link pasted into the address of an open page opens it, and Start drops a stale link.
import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';

const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('imported prices run a session; a bad file names its line and loads nothing', async ({ page }) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();

  // A zero price on line 4: refused, nothing loaded.
  await lab.tid('import-prices').setInputFiles(
    file('bad.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-01,100,100,100,100,100,1\n2024-01-02,101,101,101,101,101,1\n2024-01-03,0,0,0,0,0,1\n'),
  );
  await expect(lab.statusError).toContainText('bad.csv was not imported');
  await expect(lab.statusError).toContainText('line 4');
  await expect(lab.tid('pick-feed').locator('option', { hasText: 'Your prices' })).toHaveCount(0);
  await expect(lab.emptyState).toBeVisible();

  // A good Yahoo-style file as ETH: listed, selected, and it runs.
  const rows = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  for (let d = 1; d <= 20; d++) {
    const close = 100 - d * 2;
    rows.push(`2024-02-${String(d).padStart(2, '0')},${close},${close},${close},${close},${close},1000`);
  }
  await lab.tid('import-symbol').fill('ETH');
  await lab.tid('import-prices').setInputFiles(file('eth-fall.csv', rows.join('\n') + '\n'));
  await expect(lab.statusInfo).toContainText('Imported 20 prices of ETH from eth-fall.csv');
  await expect(lab.tid('pick-feed')).toHaveValue('import:eth-fall.csv');
  await lab.tid('pick-preset').selectOption('PerpExchange');
  await lab.tid('start').click();
  await expect(lab.tick).toHaveText('tick 0 / 19');
  await lab.fillTicket({ side: 'long', size: 10, leverage: 10 });
  await lab.tid('submit-order').click();
  await expect(lab.tid('positions')).toBeVisible();
  await lab.tid('speed').selectOption('Max');
  await lab.play.click();
  await expect(lab.tid('liquidation-explainer')).toBeVisible();

  // The session carries its prices: its link opens in another page, which never saw the file,
  // and replays to the author's hash.
  await lab.tid('copy-link').click();
  await expect(lab.statusInfo).toContainText('Link copied');
  const hash = await page.evaluate(() => location.hash);
  const authorHash = await lab.tid('log-hash').textContent();
  const authorTick = await lab.tick.textContent();
  const other = await page.context().newPage();
  const otherProblems = watchConsole(other);
  const replay = new Lab(other);
  await replay.open(`/${hash}`);
  await expect(replay.tid('replay-verified')).toBeVisible();
  await expect(replay.tid('log-hash')).toHaveText(authorHash);
  await expect(replay.tick).toHaveText(authorTick);
  await expect(replay.tid('pick-feed')).not.toHaveValue('import:eth-fall.csv');
  expect(otherProblems).toEqual([]);
  expect(problems).toEqual([]);
});

test('a link pasted into an open page opens it; Start drops the stale link from the address', async ({ page }) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'calm-gbm', preset: 'PerpExchange' });
  await lab.step.click();
  await lab.step.click();
  await lab.tid('copy-link').click();
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
  const authorHash = await lab.tid('log-hash').textContent();

  // A new scenario: the link no longer describes the page, so it leaves the address.
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange' });
  expect(await page.evaluate(() => location.hash)).toBe('');

  // Pasting the link (only the fragment changes, no reload) replays it.
  await page.evaluate((h) => { location.hash = h; }, hash);
  await expect(lab.tid('replay-verified')).toBeVisible();
  await expect(lab.tick).toHaveText(/^tick 2 \//);
  await expect(lab.tid('log-hash')).toHaveText(authorHash);
  expect(problems).toEqual([]);
});
