// Measured run (not a test): plays scenarios at Max speed in headless Chromium against the release
// build and reports ticks per second, the frames the page painted meanwhile and the main-thread
// tasks over 50 ms (PerformanceObserver 'longtask', wall time).
//
// Timing is taken inside the page: from the Play click's event to the mutation that shows the last
// tick (polling from the test would add its own latency). Each page then scrubs back to tick 1 and
// plays again, timed the same way: the first play shows a fresh page (wasm partly still in V8's
// baseline tier, warmed only by what the page steps while idle, `ui::util::warm`), the second a
// warm one. Each scenario runs RUNS times, each in a
// fresh page; the median is reported. One more run of each is traced (Chromium's trace events)
// to report the main thread's CPU time over the run, split into stepping (the playback tasks) and
// the rest (redraws: effects, style, layout, paint, compositing): on a shared machine the wall
// clock includes time the OS gave to other processes; the CPU time does not.
// Usage: ./dev bench-wasm   (builds, serves dist/ on 127.0.0.1:8788 and runs this)
import { launch, pageWithLongTasks, armPlayTimer } from './chromium.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const RUNS = Number(process.env.RUNS ?? 3);
const scenarios = [
  // The headline: twenty years of daily S&P 500 closes with one open position, open to the end:
  // a 1× long on cross margin (an isolated one is liquidated in September 2008, its margin
  // drained by eight years of funding), so funding accrues at every tick.
  { feed: 'sp500-2000-2020', preset: 'PerpExchange', order: { size: '1', leverage: '1', mode: 'cross' } },
  { feed: 'sp500-2000-2020', preset: 'AaveV3' },
  { feed: 'crypto-basket', preset: 'PerpExchange', order: { size: '2', leverage: '3' } },
  { feed: 'eth-jumps', preset: 'PerpExchange', order: { size: '1', leverage: '2' } },
];
const browser = await launch();

async function run({ feed, preset, order }, traced = false) {
  const page = await pageWithLongTasks(browser);
  await page.goto(base);
  await page.getByTestId('pick-feed').selectOption(feed);
  await page.getByTestId('pick-preset').selectOption(preset);
  await page.getByTestId('start').click();
  await page.getByTestId('tick').filter({ hasText: /^tick 0 \// }).waitFor();
  await page.getByTestId('pause-on-liquidation').uncheck();
  if (order) {
    await page.getByTestId('t-size').fill(order.size);
    await page.getByTestId('t-leverage').fill(order.leverage);
    if (order.mode) await page.getByTestId('t-mode').selectOption(order.mode);
    await page.getByTestId('submit-order').click();
    await page.getByTestId('positions').waitFor();
  }
  await page.getByTestId('speed').selectOption('Max');
  const total = Number((await page.getByTestId('tick').innerText()).split('/')[1]);
  await armPlayTimer(page, total);
  if (traced) {
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink'] });
  }
  await page.getByTestId('play').click();
  const elapsed = await page.evaluate(() => window.__done);
  const cpu = traced ? mainThreadCpu(JSON.parse((await browser.stopTracing()).toString('utf8'))) : null;
  // Let a long task that ended with the run be reported.
  await page.waitForTimeout(200);
  const { longtasks, frames } = await page.evaluate(() => ({ longtasks: window.__longtasks, frames: window.__frames }));
  // The same play again in the same page (scrubbed back to tick 1): the wasm is warm.
  let again = null;
  if (!traced) {
    await page.getByTestId('scrub').fill('1');
    await page.getByTestId('tick').filter({ hasText: /^tick 1 \// }).waitFor();
    await armPlayTimer(page, total);
    await page.getByTestId('play').click();
    again = await page.evaluate(() => window.__done);
    await page.waitForTimeout(200);
    longtasks.push(...(await page.evaluate(() => window.__longtasks)));
  }
  await page.close();
  return { total, elapsed, again, frames, longtasks, cpu };
}

/** Main-thread CPU time (ms) of a trace's tasks: all of them, and the playback's stepping tasks. */
function mainThreadCpu(trace) {
  const events = trace.traceEvents ?? trace;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasks = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask');
  const stepping = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.name === 'MessagePort::Accept');
  const sum = (xs) => xs.reduce((a, e) => a + (e.tdur ?? e.dur ?? 0), 0) / 1000;
  const longest = tasks.reduce((a, e) => ((e.tdur ?? 0) > (a.tdur ?? 0) ? e : a), {});
  return { all: sum(tasks), stepping: sum(stepping), longestCpu: (longest.tdur ?? 0) / 1000, longestWall: (longest.dur ?? 0) / 1000 };
}

for (const scenario of scenarios) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(scenario));
  runs.sort((a, b) => a.elapsed - b.elapsed);
  const median = runs[Math.floor(runs.length / 2)];
  const againMedian = runs.map((r) => r.again).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const longtasks = runs.flatMap((r) => r.longtasks);
  const longest = longtasks.length ? Math.max(...longtasks) : 0;
  const label = `${scenario.feed} / ${scenario.preset}${scenario.order ? ` / ${scenario.order.size} at ${scenario.order.leverage}×${scenario.order.mode ? ` ${scenario.order.mode}` : ''}` : ''}`;
  const { cpu, total } = await run(scenario, true);
  console.log(`${label}: ${median.total} ticks in ${median.elapsed.toFixed(0)} ms = ` +
    `${(median.total / (median.elapsed / 1000)).toFixed(0)} ticks/s (median of ${RUNS}; ` +
    `${runs.map((r) => (r.total / (r.elapsed / 1000)).toFixed(0)).join(' / ')}), ${median.frames} frames painted; ` +
    `played again in the same page: ${(median.total / (againMedian / 1000)).toFixed(0)} ticks/s; ` +
    `tasks over 50 ms in all runs: ${longtasks.length}, longest ${longest.toFixed(0)} ms; ` +
    `traced run: main-thread CPU ${cpu.all.toFixed(0)} ms (stepping ${cpu.stepping.toFixed(0)} ms) = ` +
    `${(total / (cpu.all / 1000)).toFixed(0)} ticks per CPU second, costliest task ${cpu.longestCpu.toFixed(0)} ms of CPU (${cpu.longestWall.toFixed(0)} ms wall)`);
}
await browser.close();
