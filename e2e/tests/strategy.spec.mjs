// Journey: a team member attaches a strategy, tests it across 200 seeds, shares the link; a
// colleague opens it in a fresh page and the same test shows the same summary and digest.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, docScreenshot } from './pages/lab.mjs';
import { Automation } from './pages/automation.mjs';

const docs = (name, info) =>
  process.env.UPDATE_DOCS ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : info.outputPath(name);

test('a strategy link replays in a fresh page and its 200-seed test matches the author', async ({ browser, page }, info) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  const auto = new Automation(page);
  await lab.open();
  await lab.start({ feed: 'eth-jumps', preset: 'PerpExchange', seed: 1 });

  // "5× long ETH with half the cash, stop −8 %, take +15 %, re-enter after 24 h": the editor's
  // preview is the engine's list of what attaching would do.
  await lab.tid('tab-automation').click();
  await lab.tid('st-name').fill('ETH bracket');
  await expect(lab.tid('strategy-preview')).toContainText('5× long ETH with 50% of cash, stop −8%, take +15%, re-enter after 1 d');
  await expect(lab.tid('strategy-preview')).toContainText('placed a stop-loss');
  await auto.attachStrategy();
  await expect(lab.tid('strategy-attached')).toContainText('"ETH bracket" is attached');
  await expect(auto.openOrders).toContainText('Stop ETH long · strategy');
  await expect(auto.openOrders).toContainText('Take ETH long · strategy');

  const author = await auto.testAcrossSeeds(200, 300);
  expect(author.digest).toMatch(/^digest [0-9a-f]{64}$/);
  expect(author.summary).toContain('Final equity: median');
  expect(author.summary).toContain('Stop-loss fills');
  expect(author.summary).toContain('Re-entries');
  await expect(lab.tid('seed-elapsed')).toContainText(/on \d+ workers?/);
  await expect(lab.tid('seed-histogram')).toBeVisible();
  await docScreenshot(page, docs('test-across-seeds.png', info));

  // The share link.
  await lab.tid('copy-link').click();
  await expect(lab.statusInfo).toContainText('Link copied');
  const link = page.url();
  expect(link).toContain('#s=');

  // A colleague opens it in a fresh page.
  const context = await browser.newContext();
  const other = await context.newPage();
  const otherProblems = watchConsole(other);
  const lab2 = new Lab(other);
  const auto2 = new Automation(other);
  await other.goto(link);
  await expect(lab2.tid('replay-verified')).toBeVisible();
  await lab2.tid('tab-automation').click();
  await expect(lab2.tid('strategy-attached')).toContainText('"ETH bracket" is attached');
  const colleague = await auto2.testAcrossSeeds(200, 300);
  expect(colleague.digest).toBe(author.digest);
  expect(colleague.summary).toBe(author.summary);
  await context.close();

  expect(problems).toEqual([]);
  expect(otherProblems).toEqual([]);
});
