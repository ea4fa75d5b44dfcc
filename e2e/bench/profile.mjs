// Profiling run (not a test): plays a scenario at Max speed in headless Chromium with the CDP
// sampling profiler on, and prints where the main thread's time went (self time per function,
// the top 40). Use a build whose wasm keeps its function names (`./dev profile-wasm` makes one).
// Usage: node e2e/bench/profile.mjs <base url> [feed] [preset] [size] [leverage] [isolated|cross]
// (the defaults are the playback bench's headline: S&P 500 2000–2020, a 1× long on cross margin)
// The feed `crowd-crash` is the market's measured run (`market.mjs`): 10,000 borrowers under
// Aave v3 through 10,000 daily ETH closes with two crashes, imported. The feed `crowd-open`
// profiles opening the Black Thursday-like crash with a crowd instead (from the Start click to
// "Scenario ready"; the third argument is the crowd's size, 100,000 if not given).
// INCLUSIVE=<regex> lists the inclusive time of the functions it matches (default: the crate's).
import { launch } from './chromium.mjs';
import { crashFile } from './crash-file.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const feed = process.argv[3] ?? 'sp500-2000-2020';
const preset = process.argv[4] ?? 'PerpExchange';
const size = process.argv[5] ?? '1';
const leverage = process.argv[6] ?? '1';
const mode = process.argv[7] ?? 'cross';
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(base);
if (feed === 'crowd-open') {
  await page.getByTestId('pick-feed').selectOption('eth-black-thursday-crowd');
  await page.getByTestId('pick-preset').selectOption('AaveV3');
  await page.getByTestId('crowd-count').fill(process.argv[4] ?? '100000');
  await report(async () => {
    await page.getByTestId('start').click();
    await page.getByTestId('status-info').filter({ hasText: 'Scenario ready' }).waitFor({ timeout: 600_000 });
  }, `opening ${process.argv[4] ?? '100000'} borrowers`);
  await browser.close();
  process.exit(0);
}
if (feed === 'crowd-crash') {
  await page.getByTestId('import-symbol').fill('ETH');
  await page.getByTestId('import-prices').setInputFiles(crashFile());
  const option = 'import:eth-two-crashes.csv';
  await page.getByTestId('pick-feed').filter({ has: page.locator(`option[value="${option}"]`) }).waitFor();
  await page.getByTestId('pick-feed').selectOption(option);
  await page.getByTestId('pick-preset').selectOption('AaveV3');
  await page.getByTestId('crowd-count').fill('10000');
} else {
  await page.getByTestId('pick-feed').selectOption(feed);
  await page.getByTestId('pick-preset').selectOption(preset);
}
await page.getByTestId('start').click();
await page.getByTestId('pause-on-liquidation').uncheck();
if (size !== '0') {
  await page.getByTestId('t-size').fill(size);
  await page.getByTestId('t-leverage').fill(leverage);
  await page.getByTestId('t-mode').selectOption(mode);
  await page.getByTestId('submit-order').click();
  await page.getByTestId('positions').waitFor();
}
await page.getByTestId('speed').selectOption('Max');
const total = Number((await page.getByTestId('tick').innerText()).split('/')[1]);
await report(async () => {
  await page.getByTestId('play').click();
  await page.getByTestId('tick').filter({ hasText: `tick ${total} /` }).waitFor({ timeout: 600_000 });
}, `${feed} / ${preset}: ${total} ticks`);
await browser.close();

/** Runs `action` under Chromium's sampling profiler and prints where the main thread's time went. */
async function report(action, label) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await action();
  const elapsed = (Date.now() - t0) / 1000;
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anonymous'})`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0));
  });
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`${label}: ${elapsed.toFixed(2)} s (profiler on)`);
  for (const [name, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${(100 * us / all).toFixed(1).padStart(5)}%  ${name.slice(0, 150)}`);
  }
  // Inclusive time of the session's and engine's main functions (a function's own time plus its
  // callees', once per sample even when it recurses).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  const inclusiveOf = new RegExp(process.env.INCLUSIVE ?? '^margin_lab::');
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const name = byId.get(n).callFrame.functionName;
      if (!inclusiveOf.test(name) || seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + (dt[i] ?? 0));
    }
  });
  console.log(`\ninclusive (functions matching ${inclusiveOf}):`);
  for (const [name, us] of [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${name.slice(0, 150)}`);
  }
}
