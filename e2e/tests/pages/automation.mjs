// Page object for orders and automation: the order form and open orders under the ticket, the
// Automation tab (strategy editor, protection rules, test across seeds) and the orders explainer.
import { expect } from '@playwright/test';

export class Automation {
  constructor(page) {
    this.page = page;
    this.tid = (id) => page.getByTestId(id);
    this.explainer = page.getByTestId('order-explainer');
    this.openOrders = page.getByTestId('open-orders');
  }

  /** Places a stop-loss (or take-profit) at `price` on the whole position. */
  async placeStop(price, { type = 'stop', size } = {}) {
    await this.tid('o-type').selectOption(type);
    await this.tid('o-price').fill(String(price));
    await this.tid('o-size').fill(size === undefined ? '' : String(size));
    await expect(this.tid('o-rejection')).toHaveCount(0);
    await this.tid('o-submit').click();
    await expect(this.openOrders).toBeVisible();
  }

  /** Attaches the strategy the editor shows (its defaults, or the fields given). */
  async attachStrategy(fields = {}) {
    await this.tid('tab-automation').click();
    for (const [id, value] of Object.entries(fields)) await this.tid(id).fill(String(value));
    await expect(this.tid('strategy-rejection')).toHaveCount(0);
    await this.tid('strategy-attach').click();
    await expect(this.tid('strategy-attached')).toBeVisible();
  }

  /** Runs a test across `seeds` seeds of `ticks` ticks; returns the summary table and digest. */
  async testAcrossSeeds(seeds, ticks) {
    await this.tid('tab-automation').click();
    await this.tid('seed-count').fill(String(seeds));
    await this.tid('seed-ticks').fill(ticks === undefined ? '' : String(ticks));
    await this.tid('seed-run').click();
    await expect(this.tid('seed-elapsed')).toContainText(`${seeds} seeds`, { timeout: 120_000 });
    await expect(this.tid('seed-error')).toHaveCount(0);
    return {
      summary: (await this.tid('seed-summary').innerText()).trim(),
      digest: (await this.tid('seed-digest').innerText()).trim(),
    };
  }
}
