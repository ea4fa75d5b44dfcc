// Measured run (not a test): the test across seeds in headless Chromium against the release build —
// 1,000 seeds × 1,000 ticks of a one-account strategy (a 5× ETH bracket on the jump-diffusion feed),
// each seed run with the strategy and without it — reporting the time it takes and the longest
// main-thread task (PerformanceObserver 'longtask'; the budget is 50 ms).
// Usage: ./dev bench-wasm   (builds, serves dist/ on 127.0.0.1:8788 and runs this after playback.mjs)
import { launch, pageWithLongTasks } from './chromium.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const seeds = process.argv[3] ?? '1000';
const ticks = process.argv[4] ?? '1000';
const browser = await launch();
const page = await pageWithLongTasks(browser);
await page.goto(base);
await page.getByTestId('pick-feed').selectOption('eth-jumps');
await page.getByTestId('pick-preset').selectOption('PerpExchange');
await page.getByTestId('start').click();
await page.getByTestId('tab-automation').click();
await page.getByTestId('strategy-attach').click();
await page.getByTestId('strategy-attached').waitFor();
await page.getByTestId('seed-count').fill(seeds);
await page.getByTestId('seed-ticks').fill(ticks);
// A first small run starts the workers (they load and compile the module once).
await page.getByTestId('seed-count').fill('4');
await page.getByTestId('seed-run').click();
await page.getByTestId('seed-digest').waitFor({ timeout: 120_000 });
await page.getByTestId('seed-count').fill(seeds);
await page.evaluate(() => { window.__longtasks = []; window.__t0 = performance.now(); });
await page.getByTestId('seed-run').click();
await page.getByTestId('seed-elapsed').filter({ hasText: `${seeds} seeds` }).waitFor({ timeout: 600_000 });
const { elapsed, longtasks, panel } = await page.evaluate(() => ({
  elapsed: performance.now() - window.__t0,
  longtasks: window.__longtasks,
  panel: document.querySelector('[data-testid=seed-elapsed]').textContent,
}));
const longest = longtasks.length ? Math.max(...longtasks) : 0;
console.log(`test across seeds, eth-jumps / PerpExchange, 5× ETH bracket: ${panel.trim()} ` +
  `(click to result on screen: ${(elapsed / 1000).toFixed(2)} s); ` +
  `long tasks (>50 ms): ${longtasks.length}, longest ${longest.toFixed(0)} ms`);
await browser.close();
