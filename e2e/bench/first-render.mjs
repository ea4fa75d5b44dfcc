// Measured run (not a test): first render of the release build in headless Chromium, cold cache
// (a fresh browser context per run, so no HTTP cache and no service worker), served gzip-compressed
// by e2e/serve.mjs on 127.0.0.1.
//
// Reports, median of RUNS runs:
// - first paint: the first contentful paint, which is the static shell of index.html (header,
//   panels, loading line; its theme switch already works);
// - what was downloaded before it: the JS and wasm requested before the first paint (the app is
//   fetched after it) and the bytes on the wire of every response finished by then;
// - main-thread tasks over 50 ms before the shell was painted (it must be interactive);
// - app interactive: the app mounted in place of the shell (the scenario picker is there);
// - the same with the network throttled to 10 Mbit/s and 40 ms latency (THROTTLED=0 to skip).
// Usage: ./dev bench-wasm (which also runs the playback benchmark), or
//        node e2e/bench/first-render.mjs http://127.0.0.1:8788/
import { launch } from './chromium.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const RUNS = Number(process.env.RUNS ?? 5);
const browser = await launch();

async function run(throttle) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle) await cdp.send('Network.emulateNetworkConditions', throttle);
  // Bytes on the wire per response, from the network layer.
  const wire = new Map();
  cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  await page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    window.__appReady = new Promise((resolve) => {
      const check = () => {
        if (document.querySelector('[data-testid=pick-feed]')) {
          resolve(performance.now());
          return true;
        }
        return false;
      };
      new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
        .observe(document, { childList: true, subtree: true });
    });
  });
  await page.goto(base);
  const appReady = await page.evaluate(() => window.__appReady);
  const m = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const resources = performance.getEntriesByType('resource').map((r) => ({
      name: r.name, start: r.startTime, end: r.responseEnd,
    }));
    return { fcp, resources, longtasks: window.__longtasks };
  });
  const beforePaint = m.resources.filter((r) => r.start < m.fcp);
  const appCode = beforePaint.filter((r) => /\.(js|wasm)(\?|$)/.test(r.name));
  // Bytes of everything that finished before the first paint (the document included).
  const finished = new Set(m.resources.filter((r) => r.end <= m.fcp).map((r) => r.name));
  finished.add(page.url());
  let bytesBeforePaint = 0;
  for (const [id, url] of urls) if (finished.has(url)) bytesBeforePaint += wire.get(id) ?? 0;
  let appBytes = 0;
  for (const [id, url] of urls) if (/\.(js|wasm)(\?|$)/.test(url)) appBytes += wire.get(id) ?? 0;
  const longBeforePaint = m.longtasks.filter((t) => t.start < m.fcp);
  await context.close();
  return {
    fcp: m.fcp, appReady, codeBeforePaint: appCode.length, bytesBeforePaint, appBytes,
    longBeforePaint: longBeforePaint.length,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function report(label, throttle) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(throttle));
  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  console.log(`${label}: first paint (shell visible, theme switch live) ${median(runs.map((r) => r.fcp)).toFixed(0)} ms ` +
    `(${runs.map((r) => r.fcp.toFixed(0)).join(' / ')}); ` +
    `downloaded before it ${kb(median(runs.map((r) => r.bytesBeforePaint)))} on the wire, ` +
    `JS/wasm files requested before it: ${Math.max(...runs.map((r) => r.codeBeforePaint))}; ` +
    `tasks over 50 ms before it: ${Math.max(...runs.map((r) => r.longBeforePaint))}; ` +
    `app interactive ${median(runs.map((r) => r.appReady)).toFixed(0)} ms ` +
    `(${runs.map((r) => r.appReady.toFixed(0)).join(' / ')}) after ${kb(median(runs.map((r) => r.appBytes)))} of app JS + wasm on the wire`);
}

await report('localhost', null);
if (process.env.THROTTLED !== '0') {
  await report('10 Mbit/s, 40 ms latency', {
    offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8),
  });
}
await browser.close();
