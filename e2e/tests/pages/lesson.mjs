// Page object for the lessons: the list, the step in progress, the editor, and axe-core.
import { expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

export class Lessons {
  constructor(page) {
    this.page = page;
    this.tid = (id) => page.getByTestId(id);
    this.panel = page.getByTestId('lesson');
    this.progress = page.getByTestId('lesson-progress');
    this.next = page.getByTestId('lesson-next');
  }

  /** Opens the list and starts (or resumes) lesson `id`; waits for its first step. */
  async start(id) {
    if (!(await this.tid('lesson-list').isVisible())) await this.tid('lessons-toggle').click();
    await this.tid(`lesson-start-${id}`).click();
    await expect(this.panel).toBeVisible();
    await expect(this.progress).toHaveText(/^Step \d+ of \d+$/);
  }

  /** [step, count] from "Step k of n" (null on the summary). */
  async position() {
    const m = /^Step (\d+) of (\d+)$/.exec(((await this.progress.textContent()) ?? '').trim());
    return m ? [Number(m[1]), Number(m[2])] : null;
  }

  /** Answers the step's question with choice `i`; returns true when the page said it was right. */
  async answer(i) {
    await this.tid(`lesson-choice-${i}`).click();
    const explain = this.tid('lesson-explain');
    await expect(explain).toBeVisible();
    return /^Right\./.test(((await explain.textContent()) ?? '').trim());
  }

  /** Waits until the step's task reads done. */
  async taskDone() {
    await expect(this.tid('lesson-task-state')).toHaveText(/Done/, { timeout: 60_000 });
  }

  /** Runs axe-core on the page and returns its serious and critical violations. */
  async axe() {
    if (!(await this.page.evaluate(() => typeof window.axe !== 'undefined'))) {
      await this.page.addScriptTag({ path: AXE });
    }
    const result = await this.page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    });
    return result;
  }
}
