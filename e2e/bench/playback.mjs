// Measured run (not a test): plays scenarios at Max speed in headless Chromium against the release
// build and reports ticks per second, the frames the page painted meanwhile and the longest
// main-thread task (PerformanceObserver 'longtask': tasks over 50 ms).
//
// Timing is taken inside the page: from the Play click's event to the mutation that shows the last
// tick (polling from the test would add its own latency). Each scenario runs RUNS times, each in a
// fresh page; the median is reported.
// Usage: ./dev bench-wasm   (builds, serves dist/ on 127.0.0.1:8788 and runs this)
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const RUNS = Number(process.env.RUNS ?? 3);
const scenarios = [
  // The headline: twenty years of daily S&P 500 closes with one open position (a 1× long, so it
  // stays open to the end).
  { feed: 'sp500-2000-2020', preset: 'PerpExchange', order: { size: '1', leverage: '1' } },
  { feed: 'sp500-2000-2020', preset: 'AaveV3' },
  { feed: 'crypto-basket', preset: 'PerpExchange', order: { size: '2', leverage: '3' } },
  { feed: 'eth-jumps', preset: 'PerpExchange', order: { size: '1', leverage: '2' } },
];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function run({ feed, preset, order }) {
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
  await page.getByTestId('tick').filter({ hasText: /^tick 0 \// }).waitFor();
  await page.getByTestId('pause-on-liquidation').uncheck();
  if (order) {
    await page.getByTestId('t-size').fill(order.size);
    await page.getByTestId('t-leverage').fill(order.leverage);
    await page.getByTestId('submit-order').click();
    await page.getByTestId('positions').waitFor();
  }
  await page.getByTestId('speed').selectOption('Max');
  const total = Number((await page.getByTestId('tick').innerText()).split('/')[1]);
  await page.evaluate((total) => {
    const tick = document.querySelector('[data-testid=tick]');
    const play = document.querySelector('[data-testid=play]');
    window.__done = new Promise((resolve) => {
      play.addEventListener('click', () => {
        window.__longtasks = [];
        window.__frames = 0;
        window.__t0 = performance.now();
        const count = () => { window.__frames += 1; if (!window.__end) requestAnimationFrame(count); };
        requestAnimationFrame(count);
      }, { capture: true, once: true });
      new MutationObserver(() => {
        if (tick.textContent.startsWith(`tick ${total} /`)) {
          window.__end = performance.now();
          resolve(window.__end - window.__t0);
        }
      }).observe(tick, { characterData: true, childList: true, subtree: true });
    });
  }, total);
  await page.getByTestId('play').click();
  const elapsed = await page.evaluate(() => window.__done);
  // Let a long task that ended with the run be reported.
  await page.waitForTimeout(200);
  const { longtasks, frames } = await page.evaluate(() => ({ longtasks: window.__longtasks, frames: window.__frames }));
  await page.close();
  return { total, elapsed, frames, longtasks };
}

for (const scenario of scenarios) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(scenario));
  runs.sort((a, b) => a.elapsed - b.elapsed);
  const median = runs[Math.floor(runs.length / 2)];
  const longtasks = runs.flatMap((r) => r.longtasks);
  const longest = longtasks.length ? Math.max(...longtasks) : 0;
  const label = `${scenario.feed} / ${scenario.preset}${scenario.order ? ` / ${scenario.order.size} at ${scenario.order.leverage}×` : ''}`;
  console.log(`${label}: ${median.total} ticks in ${median.elapsed.toFixed(0)} ms = ` +
    `${(median.total / (median.elapsed / 1000)).toFixed(0)} ticks/s (median of ${RUNS}; ` +
    `${runs.map((r) => (r.total / (r.elapsed / 1000)).toFixed(0)).join(' / ')}), ${median.frames} frames painted; ` +
    `tasks over 50 ms in all runs: ${longtasks.length}, longest ${longest.toFixed(0)} ms`);
}
await browser.close();
