// Timeline branching and links: act at tick 10, scrub back to 5 and share — the link opens
// verified at tick 5 and plays on to the author's action; acting after scrubbing back replaces the
// later action (the timeline branches).
import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a link copied after scrubbing back opens at that tick and keeps the later action', async ({ page, context }) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange', seed: 7 });
  await lab.seek(10);
  await lab.fillTicket({ side: 'long', size: 5, leverage: 3 });
  await lab.tid('submit-order').click();
  await expect(lab.statusInfo).toContainText('Order filled');
  await lab.seek(5);
  // Before tick 10 the position is not open yet (the table of open positions is not shown).
  await expect(lab.tid('positions')).toHaveCount(0);
  const hashAt5 = await lab.tid('log-hash').textContent();
  await lab.tid('copy-link').click();
  await expect(lab.statusInfo).toContainText('Link copied');
  const hash = await page.evaluate(() => location.hash);

  const other = await context.newPage();
  const otherProblems = watchConsole(other);
  const replay = new Lab(other);
  await replay.open(`/${hash}`);
  await expect(replay.tid('replay-verified')).toBeVisible();
  await expect(replay.tick).toHaveText(/^tick 5 \//);
  await expect(replay.tid('log-hash')).toHaveText(hashAt5);
  // Playing on reaches the author's action at tick 10.
  await replay.seek(12);
  await expect(replay.tid('positions')).toContainText('long ETH');
  expect(otherProblems).toEqual([]);

  // Back in the author's page: acting at tick 5 branches the timeline; the tick-10 long is gone.
  await lab.fillTicket({ side: 'short', size: 1, leverage: 2 });
  await lab.tid('submit-order').click();
  await expect(lab.statusInfo).toContainText('Order filled');
  await lab.seek(12);
  await expect(lab.tid('positions')).toContainText('short ETH');
  await expect(lab.tid('positions')).not.toContainText('long ETH');
  expect(problems).toEqual([]);
});
