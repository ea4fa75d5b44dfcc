// Measured run (not a test): Monte Carlo value at risk in headless Chromium against the release
// build — 1,000 paths × 24 hourly steps, each replayed through the engine, on a 4-asset Aave-like
// account (ETH, WBTC, wstETH and USDC posted, USDC borrowed) on the correlated basket. Reports the
// time until the Monte Carlo figures were done and until every method was, and the longest
// main-thread task (PerformanceObserver 'longtask': the run yields every 12 ms).
// Usage: ./dev bench-wasm   (builds, serves dist/ on 127.0.0.1:8788 and runs this)
import { launch, pageWithLongTasks } from './chromium.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const runs = Number(process.argv[3] ?? 3);
const browser = await launch();
const page = await pageWithLongTasks(browser);
await page.goto(base);
await page.getByTestId('pick-feed').selectOption('crypto-basket');
await page.getByTestId('pick-preset').selectOption('AaveV3');
await page.getByTestId('start').click();
await page.getByTestId('tab-collateral').click();
for (const [verb, asset, amount] of [['Deposit', 'ETH', '10'], ['Deposit', 'WBTC', '1'], ['Deposit', 'wstETH', '5'],
  ['Deposit', 'USDC', '5000'], ['Borrow', 'USDC', '60000']]) {
  await page.getByTestId('c-verb').selectOption(verb);
  await page.getByTestId('c-asset').selectOption(asset);
  await page.getByTestId('c-amount').fill(amount);
  await page.getByTestId('c-submit').click();
}
await page.getByTestId('tab-risk').click();
await page.getByTestId('risk-tab-var').click();
const results = [];
for (let i = 0; i < runs; i++) {
  await page.getByTestId('var-seed').fill(String(i + 1));
  await page.evaluate(() => { window.__longtasks = []; });
  await page.getByTestId('var-run').click();
  await page.getByTestId('var-meta').filter({ hasText: `seed ${i + 1}` }).waitFor({ timeout: 300_000 });
  const meta = page.getByTestId('var-meta');
  const mc = Number(await meta.getAttribute('data-mc-ms'));
  const total = Number(await meta.getAttribute('data-total-ms'));
  const longtasks = await page.evaluate(() => window.__longtasks);
  const longest = longtasks.length ? Math.max(...longtasks) : 0;
  results.push({ mc, total, count: longtasks.length, longest });
  console.log(`run ${i + 1}: Monte Carlo 1,000 paths × 24 steps in ${mc.toFixed(0)} ms, all methods ${total.toFixed(0)} ms; ` +
    `long tasks (>50 ms): ${longtasks.length}, longest ${longest.toFixed(0)} ms`);
}
const sorted = results.map((r) => r.mc).sort((a, b) => a - b);
console.log(`median Monte Carlo: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms over ${runs} runs; ` +
  `long tasks in all runs: ${results.reduce((s, r) => s + r.count, 0)}`);
await browser.close();
