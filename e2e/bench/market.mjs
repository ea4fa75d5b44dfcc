// Measured run (not a test): the market in headless Chromium against the release build.
//  1. Opening the Black Thursday-like crash with a crowd of 1,000 / 10,000 / 100,000 borrowers:
//     from the Start click to the "Scenario ready" notice (the crowd is generated from the seed).
//  2. 10,000 borrowers × 10,000 ticks of a crash at Max speed: a 10,000-day ETH price file with
//     two crashes is imported, the crowd set to 10,000 under the Aave v3 preset, and the session
//     played from tick 0 to the end; wall time, ticks/s, frames painted and main-thread tasks over
//     50 ms (PerformanceObserver 'longtask') during playback.
// Each figure is the median of RUNS fresh pages. Usage: ./dev bench-wasm (or node e2e/bench/market.mjs URL;
// ONLY=open or ONLY=play runs one part; COUNTS=100000 (comma-separated) opens only those crowds;
// PICKER_MS=<ms> waits that long in the picker before Start, as a user choosing would: the page
// warms the crowd's generation up in idle time).
import { launch, pageWithLongTasks, armPlayTimer } from './chromium.mjs';
import { crashFile } from './crash-file.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const RUNS = Number(process.env.RUNS ?? 3);
const browser = await launch();

async function freshPage() {
  const page = await pageWithLongTasks(browser);
  await page.goto(base);
  await page.getByTestId('pick-feed').waitFor();
  return page;
}

/** Start click → "Scenario ready", timed in the page. */
async function timedStart(page) {
  await page.evaluate(() => {
    const start = document.querySelector('[data-testid=start]');
    window.__ready = new Promise((resolve) => {
      start.addEventListener('click', () => {
        const t0 = performance.now();
        const done = () => {
          const info = document.querySelector('[data-testid=status-info]');
          if (info && info.textContent.includes('Scenario ready')) {
            resolve(performance.now() - t0);
            return true;
          }
          return false;
        };
        new MutationObserver((_, obs) => { if (done()) obs.disconnect(); })
          .observe(document.body, { childList: true, subtree: true, characterData: true });
      }, { capture: true, once: true });
    });
  });
  await page.getByTestId('start').click();
  return page.evaluate(() => window.__ready);
}

async function openCrowd(count) {
  const page = await freshPage();
  await page.getByTestId('pick-feed').selectOption('eth-black-thursday-crowd');
  await page.getByTestId('pick-preset').selectOption('AaveV3');
  await page.getByTestId('crowd-count').fill(String(count));
  await page.waitForTimeout(Number(process.env.PICKER_MS ?? 0));
  const ms = await timedStart(page);
  const longtasks = await page.evaluate(() => window.__longtasks);
  await page.close();
  return { ms, longest: Math.max(0, ...longtasks) };
}

async function playCrash() {
  const page = await freshPage();
  await page.getByTestId('import-symbol').fill('ETH');
  await page.getByTestId('import-prices').setInputFiles(crashFile());
  await page.getByTestId('pick-feed').filter({ has: page.locator('option[value="import:eth-two-crashes.csv"]') }).waitFor();
  await page.getByTestId('pick-feed').selectOption('import:eth-two-crashes.csv');
  await page.getByTestId('pick-preset').selectOption('AaveV3');
  await page.getByTestId('crowd-count').fill('10000');
  const openMs = await timedStart(page);
  await page.getByTestId('pause-on-liquidation').uncheck();
  await page.getByTestId('speed').selectOption('Max');
  const total = Number((await page.getByTestId('tick').innerText()).split('/')[1]);
  await armPlayTimer(page, total);
  await page.getByTestId('play').click();
  const ms = await page.evaluate(() => window.__done);
  await page.waitForTimeout(200);
  const { longtasks, frames } = await page.evaluate(() => ({ longtasks: window.__longtasks, frames: window.__frames }));
  const liquidations = await page.getByTestId('market-activity-summary').count()
    ? await page.getByTestId('market-activity-summary').innerText() : '';
  await page.close();
  return { total, openMs, ms, frames, longtasks, liquidations };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const only = process.env.ONLY;
const counts = process.env.COUNTS ? process.env.COUNTS.split(',').map(Number) : [1_000, 10_000, 100_000];
for (const count of only === 'play' ? [] : counts) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await openCrowd(count));
  console.log(`open the crowd crash with ${count.toLocaleString('en')} borrowers: median ${median(runs.map((r) => r.ms)).toFixed(0)} ms`
    + ` (${runs.map((r) => r.ms.toFixed(0)).join(', ')}); longest task ${median(runs.map((r) => r.longest)).toFixed(0)} ms`);
}

if (only === 'open') {
  await browser.close();
  process.exit(0);
}
const plays = [];
for (let i = 0; i < RUNS; i++) plays.push(await playCrash());
const m = median(plays.map((p) => p.ms));
const over = plays.map((p) => p.longtasks.filter((d) => d > 50).length);
console.log(`10,000 borrowers × ${plays[0].total.toLocaleString('en')} ticks of a crash at Max speed: median ${(m / 1000).toFixed(2)} s`
  + ` (${plays.map((p) => (p.ms / 1000).toFixed(2)).join(', ')} s), ${Math.round(plays[0].total / (m / 1000)).toLocaleString('en')} ticks/s;`
  + ` frames painted ${plays.map((p) => p.frames).join(', ')}; tasks over 50 ms ${over.join(', ')}`
  + ` (longest ${Math.max(...plays.flatMap((p) => p.longtasks), 0).toFixed(0)} ms); opening it took ${plays.map((p) => (p.openMs / 1000).toFixed(2)).join(', ')} s`);
await browser.close();
