// Page object for the Risk desk tab and the broker's margin-call banner.
import { expect } from '@playwright/test';

export class RiskDesk {
  constructor(page, lab) {
    this.page = page;
    this.lab = lab;
    this.tid = (id) => page.getByTestId(id);
    this.banner = page.getByTestId('margin-call');
  }

  async open(section = 'var') {
    await this.lab.tab('risk');
    await this.tid(`risk-tab-${section}`).click();
    await expect(this.tid(`risk-tab-${section}`)).toHaveAttribute('aria-selected', 'true');
  }

  /** Computes the value at risk and waits for the figures (they run in slices, off long tasks). */
  async computeVar({ horizon, confidence } = {}) {
    await this.open('var');
    if (horizon) await this.tid('var-horizon').selectOption(horizon);
    if (confidence) await this.tid('var-confidence').selectOption(confidence);
    await this.tid('var-run').click();
    await expect(this.tid('var-meta')).toBeVisible({ timeout: 120_000 });
    await expect(this.tid('var-progress')).toHaveText('');
  }

  /** A money cell as a number. */
  async money(id) {
    const t = (await this.tid(id).textContent()) ?? '';
    return Number(t.replace(/[$,]/g, ''));
  }

  async runShock(id) {
    await this.open('stress');
    await this.tid(`stress-run-${id}`).click();
    await expect(this.tid(`stress-row-${id}`)).toBeVisible();
    return this.tid(`stress-row-${id}`);
  }

  /** Steps the timeline until the margin-call banner shows (or gives up after `max` ticks). */
  async stepUntilMarginCall(max = 120) {
    for (let i = 0; i < max; i++) {
      if (await this.banner.count()) return;
      await this.lab.step.click();
    }
    await expect(this.banner).toBeVisible();
  }
}
