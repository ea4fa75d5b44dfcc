// What every measured run shares: Debian's Chromium launched the same way, a page that records
// its main-thread tasks over 50 ms, and a timer of a playback from the Play click to the last tick.
import { chromium } from 'playwright-core';

/** Headless Chromium from /usr/bin (never a downloaded browser), quiet background services. */
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A 1440 × 900 page whose tasks over 50 ms (PerformanceObserver 'longtask', wall time) collect
 *  in `window.__longtasks`. */
export async function pageWithLongTasks(browser) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

/** Arms `window.__done`: the milliseconds from the next Play click to the `tick` readout showing
 *  tick `total`, timed inside the page (polling from the test would add its own latency). The
 *  click also restarts `window.__longtasks` and counts painted frames in `window.__frames`. */
export function armPlayTimer(page, total) {
  return page.evaluate((total) => {
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
}
