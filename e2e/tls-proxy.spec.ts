import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BEHIND_PROXY, CHROMIUM, E2E_ADMIN } from './support/constants.js';
import { snap } from './support/helpers.js';
import { seedProject } from './support/seed.js';

// Tailor as deployed behind a TLS-terminating proxy: the browser speaks https to the proxy,
// the proxy plain http to Tailor, with X-Forwarded-For/-Proto. Tailor trusts loopback and
// knows its public URL, so it sends HSTS and Secure cookies.
test.use({
  baseURL: BEHIND_PROXY.publicUrl,
  ignoreHTTPSErrors: true,
  launchOptions: { ...CHROMIUM, args: [...CHROMIUM.args, '--ignore-certificate-errors', `--host-resolver-rules=MAP ${BEHIND_PROXY.host} 127.0.0.1`] },
});

let proxy: https.Server;

/** A self-signed certificate for the public host name, made for this run. */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-e2e-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${BEHIND_PROXY.host}`, '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

test.beforeAll(async () => {
  proxy = https.createServer(certificate(), (incoming, outgoing) => {
    const forwardedFor = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress].filter(Boolean).join(', ');
    const upstream = http.request(
      { host: '127.0.0.1', port: BEHIND_PROXY.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(BEHIND_PROXY.tlsPort, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
});

test('over https behind a TLS-terminating proxy: HSTS, upgrades, Secure cookies, and an audience edit saves', async ({ page, context }) => {
  const seed = await seedProject(`http://127.0.0.1:${String(BEHIND_PROXY.port)}`, `Behind TLS ${Date.now().toString(36)}`, 'Reached through a TLS proxy');
  const audience = await seed.deviceAudience('Desktop visitors', 'DESKTOP');

  const first = await page.goto('/');
  const headers = first?.headers() ?? {};
  expect(headers['strict-transport-security']).toBe('max-age=31536000');
  expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Personalize Projects' })).toBeVisible();
  const session = (await context.cookies()).filter((c) => c.name.startsWith('tailor_'));
  expect(session.length).toBeGreaterThan(0);
  for (const cookie of session) expect(cookie.secure, cookie.name).toBe(true);

  await page.goto(`/projects/${seed.projectUid}/audiences/${audience.uid}`);
  await page.getByLabel('Name').fill('Desktop visitors over TLS');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Audience updated successfully')).toBeVisible();
  await snap(page, 'deployment-02-behind-tls-proxy-saved');
});
