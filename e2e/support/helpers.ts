import { expect, type Cookie, type Page } from '@playwright/test';
import { ARTIFACTS_DIR } from './constants.js';

/** Saves a full-page screenshot under e2e/artifacts/ for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png`, fullPage: true });
}

// The server allows 10 logins a minute per address and email (a defence against password
// guessing), and the suite opens many browser contexts as the same people. Each person logs in
// once per worker; later contexts reuse that session's cookies, and fall back to the form if
// the session has ended (a test logged out).
const sessions = new Map<string, Cookie[]>();
const tokens = new Map<string, string>();

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  const saved = sessions.get(email);
  if (saved !== undefined) {
    await page.context().addCookies(saved);
    await page.goto('/');
    const projects = page.getByRole('heading', { name: 'Personalize Projects' });
    const form = page.getByLabel('Email');
    await expect(projects.or(form)).toBeVisible();
    if (await projects.isVisible()) return;
    sessions.delete(email);
    await page.context().clearCookies();
  }
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Personalize Projects' })).toBeVisible();
  sessions.set(email, await page.context().cookies());
}

/** Logs in through the API (once per worker and person) and returns an authtoken for seeding data. */
export async function apiToken(baseURL: string, email: string, password: string): Promise<string> {
  const key = `${baseURL}\u0000${email}`;
  const known = tokens.get(key);
  if (known !== undefined) return known;
  const response = await fetch(`${baseURL}/api/user-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, password } }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  const body = (await response.json()) as { user: { authtoken: string } };
  tokens.set(key, body.user.authtoken);
  return body.user.authtoken;
}
