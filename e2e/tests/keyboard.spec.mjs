// Journey 4: the keyboard drives playback (Space, →, ←), but not while typing in a field; the dark
// theme renders the running workspace.
import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';
import { Lab } from './pages/lab.mjs';

test('Space plays and pauses, arrows step forward and back, typing in a field is left alone', async ({ page }, info) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'calm-gbm', preset: 'PerpExchange' });
  // Move focus off the Start button to the page itself.
  await page.getByRole('heading', { level: 1, name: 'Margin Lab' }).click();

  // → steps one tick at a time, ← goes back one.
  await expect(lab.tick).toHaveText(/^tick 0 \//);
  await page.keyboard.press('ArrowRight');
  await expect(lab.tick).toHaveText(/^tick 1 \//);
  await page.keyboard.press('ArrowRight');
  await expect(lab.tick).toHaveText(/^tick 2 \//);
  await page.keyboard.press('ArrowLeft');
  await expect(lab.tick).toHaveText(/^tick 1 \//);
  // Shift+→ steps ten.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(lab.tick).toHaveText(/^tick 11 \//);
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(lab.tick).toHaveText(/^tick 1 \//);
  // ← at tick 0 stays at 0.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(lab.tick).toHaveText(/^tick 0 \//);

  // Space starts playback, Space again stops it.
  await lab.tid('speed').selectOption('5×');
  await page.getByRole('heading', { level: 1, name: 'Margin Lab' }).click();
  await expect(lab.play).toHaveText('▶ Play');
  await page.keyboard.press('Space');
  await expect(lab.play).toHaveText('❚❚ Pause');
  await expect.poll(() => lab.tickNumber(), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByRole('heading', { level: 1, name: 'Margin Lab' }).click();
  await page.keyboard.press('Space');
  await expect(lab.play).toHaveText('▶ Play');
  const stopped = await lab.tickNumber();
  // Stopped means stopped: a later step moves exactly one tick from there.
  await page.keyboard.press('ArrowRight');
  await expect(lab.tick).toHaveText(new RegExp(`^tick ${stopped + 1} /`));

  // Inside a text field the same keys edit the field instead.
  const here = await lab.tick.textContent();
  const size = lab.tid('t-size');
  await size.fill('12');
  await size.press('ArrowLeft');
  await size.press('ArrowRight');
  await size.press('Space');
  await size.press('3');
  await expect(size).toHaveValue('12 3');
  await expect(lab.play).toHaveText('▶ Play');
  await expect(lab.tick).toHaveText(here);
  const seed = lab.tid('pick-seed');
  await seed.press('End');
  await seed.press('ArrowLeft');
  await seed.press('ArrowRight');
  await expect(lab.play).toHaveText('▶ Play');
  await expect(lab.tick).toHaveText(here);

  await page.screenshot({ path: info.outputPath('keyboard.png'), fullPage: true });
  expect(problems).toEqual([]);
});

test('the dark theme renders the running workspace', async ({ page }, info) => {
  const problems = watchConsole(page);
  const lab = new Lab(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange' });
  await page.getByRole('heading', { level: 1, name: 'Margin Lab' }).click();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(lab.tick).toHaveText(/^tick 20 \//);

  const html = page.locator('html');
  if ((await html.getAttribute('data-theme')) !== 'dark') await lab.tid('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  // Dark means a dark page background.
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  expect(r + g + b).toBeLessThan(200);
  // The toggle keeps the session.
  await expect(lab.tick).toHaveText(/^tick 20 \//);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: info.outputPath('dark.png'), fullPage: true });
  expect(problems).toEqual([]);
});
