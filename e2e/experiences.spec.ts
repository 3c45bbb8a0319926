import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import type PersonalizeModule from '@contentstack/personalize-edge-sdk';
import { E2E_ADMIN } from './support/constants.js';
import { apiToken, logIn, snap } from './support/helpers.js';

// The real, unmodified edge SDK seeds analytics traffic, as a website would.
const Personalize = createRequire(import.meta.url)('@contentstack/personalize-edge-sdk') as typeof PersonalizeModule;

interface Seed {
  projectUid: string;
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
}

async function seedProject(baseURL: string, name: string): Promise<Seed> {
  const token = await apiToken(baseURL, E2E_ADMIN.email, E2E_ADMIN.password);
  let projectUid = '';
  const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authtoken: token, accept: 'application/json' };
    if (projectUid) headers['x-project-uid'] = projectUid;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseURL}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${String(response.status)} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const project = await call<{ uid: string }>('POST', '/api/projects', { name, description: 'Experiences e2e' });
  projectUid = project.uid;
  return { projectUid, call };
}

interface Uid {
  uid: string;
  version: number;
}

async function seedAudiences(seed: Seed) {
  const plan = await seed.call<Uid>('POST', '/api/attributes', { name: 'Plan', key: 'plan', description: 'Subscription plan' });
  const audience = (name: string, value: string) =>
    seed.call<Uid>('POST', '/api/audiences', {
      name,
      description: `Plan is ${value}`,
      definition: {
        __type: 'RuleCombination',
        combinationType: 'AND',
        rules: [
          {
            __type: 'Rule',
            attribute: { __type: 'CustomAttributeReference', ref: plan.uid },
            attributeMatchCondition: 'STRING_EQUALS',
            attributeMatchOptions: { __type: 'StringMatchOptions', value },
            invertCondition: false,
          },
        ],
      },
    });
  return { gold: await audience('Gold members', 'gold'), silver: await audience('Silver members', 'silver') };
}

const unique = () => Date.now().toString(36);

async function createExperience(page: Page, type: 'Segmented' | 'A/B Test', name: string) {
  await page.getByRole('button', { name: 'New Experience' }).first().click();
  const modal = page.getByRole('dialog', { name: 'Select Experience Type' });
  await modal.getByText(type, { exact: true }).click();
  await expect(modal.getByText(type === 'Segmented' ? /Craft tailored experiences/ : /Create A\/B tests to compare/)).toBeVisible();
  await snap(page, `experiences-02-type-${type === 'Segmented' ? 'segmented' : 'ab'}`);
  await modal.getByRole('button', { name: 'Next' }).click();
  const details = page.getByRole('dialog');
  await details.getByLabel('Name').fill(name);
  await details.getByLabel('Description').fill(`${type} experience made in the e2e suite`);
  await details.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/experiences\/[0-9a-f]{24}\/configuration/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

async function pickAudience(page: Page, buttonLabel: string, audience: string) {
  await page.getByRole('button', { name: buttonLabel }).click();
  const modal = page.getByRole('dialog', { name: 'Select Audience(s)' });
  await modal.getByLabel(audience).check();
  await modal.getByRole('button', { name: 'Apply Selected Audiences' }).click();
  await expect(modal).toBeHidden();
}

async function activate(page: Page) {
  await page.getByRole('button', { name: 'Activate Draft' }).click();
  const modal = page.getByRole('dialog', { name: 'Activate Draft' });
  await modal.getByRole('button', { name: 'Activate', exact: true }).click();
  await expect(page.getByText(/Version \d+ is active$/).first()).toBeVisible();
}

test.describe('experiences', () => {
  test('a segmented experience from scratch: variants, reorder, activate, pause, resume, draft from active', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Segmented ${unique()}`);
    await seedAudiences(seed);
    await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/projects/${seed.projectUid}/experiences`);
    await expect(page.getByRole('heading', { name: 'No experiences yet' })).toBeVisible();
    await snap(page, 'experiences-01-empty');

    await createExperience(page, 'Segmented', 'Homepage hero');
    await expect(page.getByText('No variants yet. Add one, name it and choose who sees it.')).toBeVisible();
    await snap(page, 'experiences-03-segmented-new');

    // Validation: a variant needs a name and an audience.
    await page.getByRole('button', { name: 'Add Variant' }).click();
    await expect(page.getByText('Unsaved variant')).toBeVisible();
    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Please enter a variant name')).toBeVisible();
    await expect(page.getByText('Please select at least one audience')).toBeVisible();
    await snap(page, 'experiences-04-segmented-validation');

    await page.getByLabel('Name of variant 1').fill('Gold hero');
    await pickAudience(page, 'Select audiences for variant 1', 'Gold members');
    await page.getByRole('button', { name: 'Add Variant' }).click();
    await page.getByLabel('Name of variant 2').fill('Silver hero');
    await page.getByRole('button', { name: 'Select audiences for variant 2' }).click();
    await snap(page, 'experiences-05-audience-picker');
    const picker = page.getByRole('dialog', { name: 'Select Audience(s)' });
    await picker.getByLabel('Silver members').check();
    await picker.getByLabel('Gold members').check();
    await picker.getByRole('button', { name: 'Apply Selected Audiences' }).click();
    await page.getByLabel('Condition of variant 2').click();
    await page.getByRole('option', { name: 'Match All' }).click();

    // Variant priority by keyboard drag and drop: the second variant moves to the top.
    const handle = page.getByRole('button', { name: 'Drag to reorder Silver hero' });
    await handle.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    await expect(page.getByLabel('Name of variant 1')).toHaveValue('Silver hero');
    await expect(page.getByLabel('Name of variant 2')).toHaveValue('Gold hero');

    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Variants' }).getByText('Unsaved variant')).toHaveCount(0);
    await snap(page, 'experiences-06-segmented-saved');

    await activate(page);
    await expect(page.getByText('Version 1 is active and locked')).toBeVisible();
    await expect(page.getByLabel('Name of variant 1')).toHaveAttribute('readonly', '');
    await expect(page.getByRole('button', { name: 'Add Variant' })).toHaveCount(0);
    await snap(page, 'experiences-07-segmented-active');

    await page.getByRole('button', { name: 'Pause Experience' }).click();
    await page.getByRole('dialog', { name: 'Pause Experience' }).getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(page.getByText(/Experience paused/)).toBeVisible();
    await expect(page.getByText('Version 1 is paused and locked')).toBeVisible();
    await snap(page, 'experiences-08-segmented-paused');
    await page.getByRole('button', { name: 'Resume Experience' }).click();
    await expect(page.getByText('Experience resumed')).toBeVisible();
    await expect(page.getByText('Version 1 is active and locked')).toBeVisible();

    await page.getByRole('button', { name: 'Create Draft' }).click();
    await expect(page.getByText('Draft Version 2 created from Version 1')).toBeVisible();
    await expect(page.getByText('Visitors keep seeing Version 1 (active) until you activate this draft.')).toBeVisible();
    await expect(page.getByLabel('Name of variant 1')).toHaveValue('Silver hero');
    await page.getByLabel('Name of variant 1').fill('Silver hero v2');
    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved')).toBeVisible();
    await snap(page, 'experiences-09-draft-from-active');

    // Version history: the active version opens read-only.
    await page.getByRole('listitem', { name: 'Version 1, active' }).click();
    await expect(page.getByText('Viewing Version 1')).toBeVisible();
    await expect(page.getByLabel('Name of variant 1')).toHaveValue('Silver hero');
    await snap(page, 'experiences-10-version-history-active');

    // Activating the draft archives Version 1, which stays viewable read-only.
    await page.getByRole('listitem', { name: 'Version 2, draft' }).click();
    await activate(page);
    await page.getByRole('listitem', { name: 'Version 1, archived' }).click();
    await expect(page.getByText('Version 1 is archived')).toBeVisible();
    await snap(page, 'experiences-11-archived-version');

    // Overview: name, description and tags (lower-cased).
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByLabel('Tags').fill('Home-Page');
    await page.getByLabel('Tags').press('Enter');
    await page.getByLabel('Tags').fill('q4:promo');
    await page.getByLabel('Tags').press('Enter');
    await page.getByLabel('Name').fill('Homepage hero banner');
    await page.getByRole('button', { name: 'Save General Details' }).click();
    await expect(page.getByText('General details saved')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Homepage hero banner' })).toBeVisible();
    await snap(page, 'experiences-12-overview');

    await page.getByRole('link', { name: 'Experiences', exact: true }).first().click();
    const row = page.getByRole('row', { name: /Homepage hero banner/ });
    await expect(row.getByText('home-page')).toBeVisible();
    await expect(row.getByText('Active', { exact: true })).toBeVisible();
    await snap(page, 'experiences-13-list');
  });
});
