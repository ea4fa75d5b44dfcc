import { test, expect } from '@playwright/test';
import { watchConsole } from './console.mjs';

test('the shell loads with every region, both themes, and no console errors', async ({ page }, info) => {
  const problems = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Margin Lab' })).toBeVisible();
  for (const name of ['Price', 'Order ticket', 'Account', 'Event log']) {
    await expect(page.getByRole('region', { name })).toBeVisible();
  }
  const html = page.locator('html');
  const first = await html.getAttribute('data-theme');
  expect(['dark', 'light']).toContain(first);
  const shot = await page.screenshot({ path: info.outputPath('shell.png'), fullPage: true });
  expect(shot.length).toBeGreaterThan(10_000);

  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const firstBg = await bg();
  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', first === 'dark' ? 'light' : 'dark');
  expect(await bg()).not.toEqual(firstBg);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', first === 'dark' ? 'light' : 'dark');
  await page.screenshot({ path: info.outputPath('shell-toggled.png'), fullPage: true });
  expect(problems).toEqual([]);
});

test('the favicon is served', async ({ request }) => {
  const res = await request.get('/public/favicon.svg');
  expect(res.ok()).toBeTruthy();
  expect(res.headers()['content-type']).toContain('image/svg+xml');
});
