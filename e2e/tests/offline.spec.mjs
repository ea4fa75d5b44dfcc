// Journey: after the first visit the app opens offline (the service worker, boot/sw.js), recorded
// scenarios included; and a new deployment is used as soon as the network answers, never stuck
// behind the cached one.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchConsole } from './console.mjs';
import { Lab, Offline } from './pages/lab.mjs';

test('after the first visit the app opens offline, recorded prices included', async ({ page, context }) => {
  test.setTimeout(90_000);
  const problems = watchConsole(page);
  const lab = new Lab(page);
  const offline = new Offline(page);
  await lab.open();
  const version = await offline.waitForWorker();
  expect(await offline.caches()).toEqual([`margin-lab-${version}`]);

  await context.setOffline(true);
  await page.reload();
  await expect(lab.tid('pick-feed')).toBeVisible();
  // A simulated scenario, and a recorded one whose prices come from the cache (SHA-256 checked).
  await lab.start({ feed: 'eth-black-thursday', preset: 'PerpExchange' });
  await lab.step.click();
  await expect(lab.tick).toHaveText(/^tick 1 \//);
  await lab.start({ feed: 'sp500-2008', preset: 'AaveV3' });
  await lab.step.click();
  await expect(lab.tick).toHaveText(/^tick 1 \//);
  await expect(lab.tid('credit')).toContainText('Recorded data');
  expect(problems).toEqual([]);
});

test('a new deployment is used at once online, and offline after its worker takes over', async ({ page }) => {
  test.setTimeout(90_000);
  const problems = watchConsole(page);
  // A deployment of its own: a copy of the build served on another port.
  const dist = await mkdtemp(join(tmpdir(), 'margin-lab-deploy-'));
  await cp(fileURLToPath(new URL('../../dist', import.meta.url)), dist, { recursive: true });
  const port = 8790 + Math.floor(Math.random() * 9);
  const server = spawn('node', [fileURLToPath(new URL('../serve.mjs', import.meta.url)), String(port)], {
    env: { ...process.env, DIST: dist },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}/`;
    await expect.poll(() => fetch(base).then((r) => r.ok).catch(() => false)).toBe(true);
    const lab = new Lab(page);
    const offline = new Offline(page);
    await lab.open(base);
    const first = await offline.waitForWorker();

    // The next deployment: another page (its title says so) and so another worker version.
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    await writeFile(join(dist, 'index.html'), html.replace('<title>Margin Lab</title>', '<title>Margin Lab (next)</title>'));
    const sw = await readFile(join(dist, 'sw.js'), 'utf8');
    await writeFile(join(dist, 'sw.js'), sw.replace(`const VERSION = "${first}"`, 'const VERSION = "next-deployment"'));

    // Online, the new page is served at once (network first), not the cached one.
    await page.reload();
    await expect(page).toHaveTitle('Margin Lab (next)');
    await expect(lab.tid('pick-feed')).toBeVisible();
    // Its worker installs, takes over and deletes the old cache.
    await expect.poll(() => offline.version(), { timeout: 30_000 }).toBe('next-deployment');
    await expect.poll(() => offline.caches()).toEqual(['margin-lab-next-deployment']);

    // Offline, the new deployment is what opens.
    await page.context().setOffline(true);
    await page.reload();
    await expect(page).toHaveTitle('Margin Lab (next)');
    await expect(lab.tid('pick-feed')).toBeVisible();
    await page.context().setOffline(false);
    expect(problems).toEqual([]);
  } finally {
    server.kill();
    await rm(dist, { recursive: true, force: true });
  }
});
