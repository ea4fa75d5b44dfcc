// Journey: a learner protects a 10× long with a stop-loss, the crash fires it into a gap before
// the liquidation price is reached, and the page explains what happened and why.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, docScreenshot } from './pages/lab.mjs';
import { Automation } from './pages/automation.mjs';

const docs = (name, info) =>
  process.env.UPDATE_DOCS ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : info.outputPath(name);

test('a stop-loss fires in the crash, before the liquidation price, and the page says why', async ({ page }, info) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  const auto = new Automation(page);
  await lab.open();
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange' });

  // A 10× long of 40 ETH at 200 (liquidation price about 180.72).
  await lab.fillTicket({ side: 'long', size: 40, leverage: 10 });
  await lab.tid('submit-order').click();
  await expect(lab.tid('positions')).toBeVisible();

  // A stop on the wrong side of the mark is refused in the engine's words.
  await lab.tid('o-type').selectOption('stop');
  await lab.tid('o-price').fill('210');
  await expect(lab.tid('o-rejection')).toContainText('would fire at once; it must be below the mark price');
  await expect(lab.tid('o-submit')).toBeDisabled();

  // A stop at 190, above the liquidation price: the form says what it will do.
  await lab.tid('o-price').fill('190');
  await expect(lab.tid('o-preview')).toContainText('If placed: your account placed a stop-loss #1 on the ETH long: the whole position at 190');
  await auto.placeStop(190);
  await expect(auto.openOrders).toContainText('Stop ETH long');
  await expect(lab.tid('position-brackets')).toContainText('190');

  // Play through the crash; the learner is never liquidated.
  await lab.tid('speed').selectOption('Max');
  await lab.play.click();
  await expect(lab.play).toHaveText('▶ Play', { timeout: 60_000 });
  expect(await lab.tickNumber()).toBe(await lab.lastTick());
  await expect(lab.tid('liquidation-explainer')).toHaveCount(0);
  await expect(lab.tid('positions')).toHaveCount(0);
  await expect(auto.openOrders).toHaveCount(0);

  // The explainer: it gapped through the trigger and filled worse; orders act before the
  // liquidation check; the market later went through the old liquidation price.
  await expect(auto.explainer).toBeVisible();
  await expect(lab.tid('order-explainer-title')).toContainText('Your stop-loss #1 fired into a gap');
  const steps = lab.tid('order-explainer-steps');
  await expect(steps).toContainText('waited for the mark price of ETH to reach 190');
  await expect(steps).toContainText('gapped through the trigger within one step');
  await expect(steps).toContainText('lost to the gap');
  await expect(steps).toContainText('slippage of its size');
  await expect(steps).toContainText('beyond your old liquidation price');
  await expect(steps).toContainText('saved the position from liquidation');
  await expect(steps).toContainText('Realized PnL');

  // The event log has it too.
  await lab.tab('events');
  await expect(lab.tid('event-list')).toContainText('stop-loss #1 filled 40 ETH');

  const shot = await docScreenshot(page, docs('stop-loss-explained.png', info));
  expect(shot.length).toBeGreaterThan(50_000);
  expect(problems).toEqual([]);
});
