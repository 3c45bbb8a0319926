import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { E2E_ADMIN } from './constants.js';
import { logIn } from './helpers.js';

/**
 * Starts every test of the calling spec file logged in as the e2e org owner: one login in
 * `beforeAll`, its cookies saved and given to each test's browser context (logins are rate
 * limited to 10 a minute). Returns the saved state's path, for more contexts as the same user.
 */
export function useAdminSession(spec: string): string {
  const state = path.join(os.tmpdir(), `tailor-e2e-${spec}-${String(process.pid)}.json`);
  test.use({ storageState: state });
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ storageState: undefined });
    const page = await context.newPage();
    await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await context.storageState({ path: state });
    await context.close();
  });
  return state;
}
