// Measured run (not a test): plays a scenario at Max speed in headless Chromium against the release
// build and reports ticks per second and the longest main-thread task (PerformanceObserver 'longtask').
// Usage: ./dev bench-wasm   (builds, serves dist/ on 127.0.0.1:8788 and runs this)
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const scenarios = [
  { feed: 'sp500-2000-2020', preset: 'AaveV3' },
  { feed: 'crypto-basket', preset: 'PerpExchange', order: { size: '2', leverage: '3' } },
  { feed: 'eth-jumps', preset: 'PerpExchange', order: { size: '1', leverage: '2' } },
];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const { feed, preset, order } of scenarios) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(base);
  await page.getByTestId('pick-feed').selectOption(feed);
  await page.getByTestId('pick-preset').selectOption(preset);
  await page.getByTestId('start').click();
  await page.getByTestId('pause-on-liquidation').uncheck();
  if (order) {
    await page.getByTestId('t-size').fill(order.size);
    await page.getByTestId('t-leverage').fill(order.leverage);
    await page.getByTestId('submit-order').click();
    await page.getByTestId('positions').waitFor();
  }

  await page.getByTestId('speed').selectOption('Max');
  const total = Number((await page.getByTestId('tick').innerText()).split('/')[1]);
  await page.evaluate(() => { window.__longtasks = []; window.__t0 = performance.now(); });
  await page.getByTestId('play').click();
  await page.getByTestId('tick').filter({ hasText: `tick ${total} /` }).waitFor({ timeout: 600_000 });
  const { elapsed, longtasks } = await page.evaluate(() => ({
    elapsed: performance.now() - window.__t0,
    longtasks: window.__longtasks,
  }));
  const longest = longtasks.length ? Math.max(...longtasks) : 0;
  console.log(`${feed} / ${preset}: ${total} ticks in ${(elapsed / 1000).toFixed(2)} s = ${(total / (elapsed / 1000)).toFixed(0)} ticks/s; ` +
    `long tasks (>50 ms): ${longtasks.length}, longest ${longest.toFixed(0)} ms`);
  await page.close();
}
await browser.close();
