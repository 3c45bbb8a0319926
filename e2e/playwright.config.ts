import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { BEHIND_PROXY, CHROMIUM, E2E_ADMIN } from './support/constants.js';

const PORT = Number(process.env.E2E_PORT ?? 4100);
const DATA_DIR = path.join(os.tmpdir(), `tailor-e2e-${process.pid}`);


export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: path.join(os.tmpdir(), 'tailor-e2e-results'),
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1400, height: 900 },
    launchOptions: CHROMIUM,
  },
  webServer: [
    {
      command: `rm -rf ${DATA_DIR} && node apps/server/bin/tailor.js serve`,
      cwd: path.resolve(import.meta.dirname, '..'),
      url: `http://127.0.0.1:${PORT}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATA_DIR,
        LOG_LEVEL: 'warn',
        TAILOR_ADMIN_EMAIL: E2E_ADMIN.email,
        TAILOR_ADMIN_PASSWORD: E2E_ADMIN.password,
        // Specs seed their data through the API in bursts; the installation behind the proxy
        // below keeps the default limit, as deployed.
        MANAGEMENT_RATE_LIMIT: '0',
      },
    },
    {
      // A second installation, as deployed behind a TLS-terminating proxy (tls-proxy.spec.ts).
      command: `rm -rf ${BEHIND_PROXY.dataDir} && node apps/server/bin/tailor.js serve`,
      cwd: path.resolve(import.meta.dirname, '..'),
      url: `http://127.0.0.1:${BEHIND_PROXY.port}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(BEHIND_PROXY.port),
        HOST: '127.0.0.1',
        DATA_DIR: BEHIND_PROXY.dataDir,
        LOG_LEVEL: 'warn',
        TAILOR_ADMIN_EMAIL: E2E_ADMIN.email,
        TAILOR_ADMIN_PASSWORD: E2E_ADMIN.password,
        TRUST_PROXY: 'loopback',
        PUBLIC_URL: BEHIND_PROXY.publicUrl,
      },
    },
  ],
});
