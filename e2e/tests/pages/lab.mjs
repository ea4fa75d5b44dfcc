// Page object for Margin Lab: the scenario picker, the timeline, the order ticket and the tabs.
import { expect } from '@playwright/test';

export class Lab {
  constructor(page) {
    this.page = page;
    this.tid = (id) => page.getByTestId(id);
    this.status = page.getByTestId('status');
    this.statusError = page.getByTestId('status-error');
    this.statusInfo = page.getByTestId('status-info');
    this.tick = page.getByTestId('tick');
    this.play = page.getByTestId('play');
    this.step = page.getByTestId('step');
    this.emptyState = page.getByText('Pick a scenario and press');
  }

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Margin Lab' })).toBeVisible();
    // The first paint is the static shell (index.html); the app replaces it once it has loaded.
    await expect(this.tid('pick-feed')).toBeVisible();
    await expect(this.page.locator('#boot')).toHaveCount(0);
  }

  /** Picks a scenario and presses Start; waits for the "Scenario ready" notice. */
  async start({ feed = 'eth-black-thursday', preset = 'PerpExchange', design, seed, cash } = {}) {
    await this.tid('pick-feed').selectOption(feed);
    await this.tid('pick-preset').selectOption(preset);
    if (design) await this.tid('pick-design').selectOption(design);
    if (seed !== undefined) await this.tid('pick-seed').fill(String(seed));
    if (cash !== undefined) await this.tid('pick-cash').fill(String(cash));
    await this.tid('start').click();
    await expect(this.statusInfo).toContainText('Scenario ready');
    await expect(this.tick).toHaveText(/^tick 0 \/ \d+$/);
  }

  /** The current tick number from the `tick` readout ("tick N / M"). */
  async tickNumber() {
    const text = await this.tick.textContent();
    const m = /tick (\d+) \/ (\d+)/.exec(text ?? '');
    if (!m) throw new Error(`unexpected tick readout: ${text}`);
    return Number(m[1]);
  }

  async lastTick() {
    const m = /tick (\d+) \/ (\d+)/.exec((await this.tick.textContent()) ?? '');
    return Number(m[2]);
  }

  /** Scrubs to tick `t` with the timeline's slider. */
  async seek(t) {
    await this.tid('scrub').fill(String(t));
    await expect(this.tick).toHaveText(new RegExp(`^tick ${t} / \\d+$`));
  }

  async fillTicket({ side = 'long', size, leverage, mode }) {
    await this.tid(side === 'short' ? 'side-short' : 'side-long').click();
    if (mode) await this.tid('t-mode').selectOption(mode);
    if (size !== undefined) await this.tid('t-size').fill(String(size));
    if (leverage !== undefined) await this.tid('t-leverage').fill(String(leverage));
  }

  async tab(name) {
    await this.tid(`tab-${name}`).click();
    await expect(this.tid(`tab-${name}`)).toHaveAttribute('aria-selected', 'true');
  }
}

/**
 * A full-page screenshot for the docs, exactly as wide as the viewport (1440 px): scrolled to the
 * top first so the sticky header sits at the top, and clipped to the viewport's width so content
 * overflowing to the right (if any) does not widen the image.
 */
export async function docScreenshot(page, path) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const { width } = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  return page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height } });
}

/** The service worker of the page: its version and caches (boot/sw.js). */
export class Offline {
  constructor(page) {
    this.page = page;
  }

  /** Waits until a worker controls the page with its files cached; returns its version. */
  async waitForWorker() {
    await this.page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => this.page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 30_000 }).toBe(true);
    return this.version();
  }

  /** The version of the worker controlling the page (asked by message). */
  version() {
    return this.page.evaluate(() => new Promise((resolve) => {
      const worker = navigator.serviceWorker.controller;
      if (!worker) return resolve(null);
      const channel = (e) => { if (e.data?.version) { navigator.serviceWorker.removeEventListener('message', channel); resolve(e.data.version); } };
      navigator.serviceWorker.addEventListener('message', channel);
      worker.postMessage('version');
      setTimeout(() => resolve(null), 2000);
    }));
  }

  /** The names of the app's caches. */
  caches() {
    return this.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('margin-lab-')).sort());
  }
}
