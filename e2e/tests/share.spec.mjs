// Journey 3: share a session by link and replay it verified; hostile links are refused in plain
// words; saved sessions survive a reload and a damaged entry does not hide the good ones.
import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** Starts a session, opens a position and steps a few ticks; returns the page object. */
async function makeSession(page) {
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange', seed: 7 });
  await lab.fillTicket({ side: 'short', size: 5, leverage: 3 });
  await lab.tid('submit-order').click();
  await expect(lab.statusInfo).toContainText('Order filled');
  for (let i = 1; i <= 4; i++) {
    await lab.step.click();
    await expect(lab.tick).toHaveText(new RegExp(`^tick ${i} / `));
  }
  return lab;
}

test('a copied link replays the session verified, with the same hash and tick', async ({ page, context }) => {
  const problems = watchConsole(page);
  const lab = await makeSession(page);
  const hashText = await lab.tid('log-hash').textContent();
  const tickText = await lab.tick.textContent();
  expect(hashText).toMatch(/^log [0-9a-f]{16}…$/);

  await lab.tid('copy-link').click();
  await expect(lab.statusInfo).toContainText('Link copied');
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=./);
  const hash = await page.evaluate(() => location.hash);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${new URL('/', page.url()).href}${hash}`);

  const other = await context.newPage();
  const otherProblems = watchConsole(other);
  const replay = new Lab(other);
  await replay.open(`/${hash}`);
  await expect(replay.tid('replay-verified')).toBeVisible();
  await expect(replay.tid('replay-verified')).toHaveText('✓ Replay verified');
  await expect(replay.statusInfo).toHaveText('Replay verified: same event log as the author\'s.');
  await expect(replay.tid('replay-mismatch')).toHaveCount(0);
  await expect(replay.tid('log-hash')).toHaveText(hashText);
  await expect(replay.tick).toHaveText(tickText);
  // The replayed position is there too.
  await expect(replay.tid('positions')).toContainText('short ETH');

  expect(problems).toEqual([]);
  expect(otherProblems).toEqual([]);
});

test('hostile links are refused in plain words and leave the page empty', async ({ page, context }) => {
  // A real link, cut short, is one of the hostile ones.
  const lab = await makeSession(page);
  await lab.tid('copy-link').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=./);
  const good = await page.evaluate(() => location.hash);

  const hostile = {
    tiny: '#s=AAAA',
    huge: `#s=${'A'.repeat(40000)}`,
    percent: '#s=%%%',
    cut: good.slice(0, -10),
  };
  for (const [name, fragment] of Object.entries(hostile)) {
    await test.step(name, async () => {
      const p = await context.newPage();
      const problems = watchConsole(p);
      const l = new Lab(p);
      await l.open(`/${fragment}`);
      await expect(l.statusError).toBeVisible();
      await expect(l.statusError).toHaveText(/^This link /);
      const message = (await l.statusError.textContent()) ?? '';
      expect(message.length).toBeLessThan(300);
      test.info().annotations.push({ type: `link ${name}`, description: message });
      // No session: the empty state, no timeline, no verification badge.
      await expect(l.emptyState).toBeVisible();
      await expect(l.tick).toHaveCount(0);
      await expect(l.tid('replay-verified')).toHaveCount(0);
      await expect(l.tid('replay-mismatch')).toHaveCount(0);
      expect(problems).toEqual([]);
      await p.close();
    });
  }
});

test('saved sessions survive a reload, open again, and a damaged entry is reported', async ({ page }) => {
  const problems = watchConsole(page);
  const lab = await makeSession(page);
  const hashText = await lab.tid('log-hash').textContent();
  const tickText = await lab.tick.textContent();

  await lab.tab('saved');
  // A name is required.
  await lab.tid('save-session').click();
  await expect(lab.statusError).toHaveText(/Give the session a name/);
  await lab.tid('save-name').fill('Short ETH, four ticks');
  await lab.tid('save-session').click();
  await expect(lab.statusInfo).toHaveText('Saved "Short ETH, four ticks".');
  const list = lab.tid('saved-sessions').locator('ul.saved-list > li');
  await expect(list).toHaveCount(1);

  // Reload on a clean address: the page starts empty and the save is still listed.
  await lab.open('/');
  await expect(lab.emptyState).toBeVisible();
  await lab.tab('saved');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toContainText('Short ETH, four ticks');
  await list.first().getByRole('button', { name: 'Open' }).click();
  await expect(lab.tid('replay-verified')).toBeVisible();
  await expect(lab.tid('log-hash')).toHaveText(hashText);
  await expect(lab.tick).toHaveText(tickText);

  // A damaged entry next to the good one.
  await page.evaluate(() => localStorage.setItem('margin-lab.session.broken', '{not json'));
  await lab.open('/');
  await lab.tab('saved');
  await expect(list.filter({ hasText: 'Short ETH, four ticks' })).toHaveCount(1);
  const damaged = list.filter({ hasText: 'damaged' });
  await expect(damaged).toHaveCount(1);
  await expect(damaged).toHaveText('The saved session "broken" is damaged and was skipped.');
  // The good one still opens.
  await list.filter({ hasText: 'Short ETH, four ticks' }).getByRole('button', { name: 'Open' }).click();
  await expect(lab.tid('replay-verified')).toBeVisible();
  await expect(lab.tick).toHaveText(tickText);

  expect(problems).toEqual([]);
});
