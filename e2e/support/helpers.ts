import { expect, type Page } from '@playwright/test';
import { ARTIFACTS_DIR } from './constants.js';

/** Saves a full-page screenshot under e2e/artifacts/ for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png`, fullPage: true });
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Personalize Projects' })).toBeVisible();
}

/** Logs in through the API and returns an authtoken for seeding data. */
export async function apiToken(baseURL: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/user-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, password } }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  const body = (await response.json()) as { user: { authtoken: string } };
  return body.user.authtoken;
}
