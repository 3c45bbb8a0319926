import { expect, test, type Response } from '@playwright/test';
import { CHROMIUM, E2E_ADMIN } from './support/constants.js';
import { snap } from './support/helpers.js';
import { seedProject } from './support/seed.js';

// The console as a team reaches it on an internal host name over plain http (a container with
// HOST=0.0.0.0 behind no TLS): Chromium upgrades nothing on localhost, so only another host
// name shows whether the security policy forces https on every asset.
const PORT = Number(process.env.E2E_PORT ?? 4100);
const HOST = 'tailor.test';

test.use({
  baseURL: `http://${HOST}:${PORT}`,
  launchOptions: { ...CHROMIUM, args: [...CHROMIUM.args, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`] },
});

test('over plain http at a non-localhost host name, the console loads and an audience edit saves', async ({ page }) => {
  const failures: string[] = [];
  const assets: Response[] = [];
  // Before logging in, the console asks who is logged in (401) and moves on (aborting that call).
  const expected = (url: string) => new URL(url).pathname === '/api/user';
  page.on('requestfailed', (request) => {
    if (!expected(request.url())) failures.push(`${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) failures.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response.url())) failures.push(`${response.url()} ${String(response.status())}`);
    if (new URL(response.url()).pathname.startsWith('/assets/')) assets.push(response);
  });

  // Data made through the API on loopback; the browser uses the host name only.
  const seed = await seedProject(`http://127.0.0.1:${PORT}`, `Plain http ${Date.now().toString(36)}`, 'Reached as tailor.test');
  const audience = await seed.deviceAudience('Returning visitors', 'MOBILE');

  const first = await page.goto('/');
  expect(first?.url()).toBe(`http://${HOST}:${PORT}/`);
  expect(first?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
  expect(first?.headers()['strict-transport-security']).toBeUndefined();
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Personalize Projects' })).toBeVisible();

  // Every script and stylesheet came over http and is cacheable for a year.
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    expect(asset.url().startsWith(`http://${HOST}:${PORT}/assets/`)).toBe(true);
    expect(asset.status()).toBe(200);
    expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
  // Chromium offers brotli over https only; over http it takes the precompressed gzip (files
  // under 1 KB are not compressed).
  const bundles = assets.filter((asset) => /\/assets\/(index|mantine|react|vendor)-[\w-]+\.js$/.test(asset.url()));
  expect(bundles.length).toBeGreaterThanOrEqual(4);
  for (const bundle of bundles) expect(bundle.headers()['content-encoding'], bundle.url()).toBe('gzip');

  await page.goto(`/projects/${seed.projectUid}/audiences`);
  await page.getByRole('link', { name: 'Returning visitors' }).click();
  await expect(page).toHaveURL(new RegExp(`/audiences/${audience.uid}$`));
  await page.getByLabel('Name').fill('Returning mobile visitors');
  await page.getByLabel('Description').fill('Edited over plain http');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Audience updated successfully')).toBeVisible();
  await snap(page, 'deployment-01-plain-http-saved');

  const saved = await seed.call<{ name: string; description: string; version: number }>('GET', `/api/audiences/${audience.uid}`);
  expect(saved).toMatchObject({ name: 'Returning mobile visitors', description: 'Edited over plain http', version: audience.version + 1 });
  expect(failures).toEqual([]);
});
