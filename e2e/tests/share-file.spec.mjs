// Journey: a session on a long price import makes a link longer than chat apps and mail carry:
// copying it is refused with the reason, the session file is offered instead, and that file opens
// in another page (which never saw the prices) verified, at the author's tick and hash.
import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';

/** `n` daily closes: a seeded random walk in cents from 2001. */
function dailyCsv(n) {
  const rows = ['date,close'];
  let cents = 150_000;
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    cents = Math.max(1_000, cents + (x % 2001) - 1000);
    rows.push(`${978393600 + 86400 * i},${(cents / 100).toFixed(2)}`);
  }
  return rows.join('\n') + '\n';
}

test('a link past the share limit is refused and the session file replays verified', async ({ page, context }) => {
  test.setTimeout(90_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.tid('import-symbol').fill('SPX');
  await lab.tid('import-prices').setInputFiles({ name: 'spx-12y.csv', mimeType: 'text/csv', buffer: Buffer.from(dailyCsv(3000)) });
  await expect(lab.statusInfo).toContainText('Imported 3000 prices of SPX');
  await lab.tid('pick-preset').selectOption('PerpExchange');
  await lab.tid('start').click();
  await expect(lab.tick).toHaveText('tick 0 / 2999');
  await lab.fillTicket({ side: 'long', size: 1, leverage: 2 });
  await lab.tid('submit-order').click();
  await expect(lab.tid('positions')).toBeVisible();
  await lab.seek(700);

  // 3,000 rows do not fit in 4,000 characters: refused, with the reason and the file offered.
  await lab.tid('copy-link').click();
  await expect(lab.statusError).toContainText('more than the 4000 that chat apps and mail reliably carry');
  await expect(lab.statusError).toContainText('Save the session as a file instead');
  const authorHash = await lab.tid('log-hash').textContent();

  const [download] = await Promise.all([page.waitForEvent('download'), lab.tid('save-file').click()]);
  expect(download.suggestedFilename()).toBe('margin-lab-session.json');
  await expect(lab.statusInfo).toContainText('Saved margin-lab-session.json');

  const other = await context.newPage();
  const otherProblems = watchConsole(other);
  const replay = new Lab(other);
  await replay.open();
  await replay.tab('saved');
  await replay.tid('import-session').setInputFiles(await download.path());
  await expect(replay.tid('replay-verified')).toBeVisible();
  await expect(replay.tid('log-hash')).toHaveText(authorHash);
  await expect(replay.tick).toHaveText('tick 700 / 2999');
  await expect(replay.tid('positions')).toContainText('long SPX');
  expect(otherProblems).toEqual([]);
  expect(problems).toEqual([]);
});
