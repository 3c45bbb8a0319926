import { createRequire } from 'node:module';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type PersonalizeModule from '@contentstack/personalize-edge-sdk';
import { E2E_ADMIN } from './support/constants.js';
import { logIn, snap } from './support/helpers.js';
import { seedProject, type Seed } from './support/seed.js';

// The real, unmodified edge SDK seeds analytics traffic, as a website would.
const Personalize = createRequire(import.meta.url)('@contentstack/personalize-edge-sdk') as typeof PersonalizeModule;

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
  await modal.getByRole('radiogroup', { name: 'Experience type' }).getByText(type, { exact: true }).click();
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

/** dnd-kit's keyboard sensor: Space picks up, arrows move, Space drops; it measures between steps. */
async function keyboardDrag(page: Page, handle: Locator, key: 'ArrowUp' | 'ArrowDown', steps: number) {
  await handle.focus();
  await page.keyboard.press('Space');
  await page.waitForTimeout(150);
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press(key);
    await page.waitForTimeout(250);
  }
  await page.keyboard.press('Space');
  await page.waitForTimeout(150);
}

async function activate(page: Page) {
  await page.getByRole('button', { name: 'Activate Draft' }).click();
  const modal = page.getByRole('dialog', { name: 'Activate Draft' });
  await modal.getByRole('button', { name: 'Activate', exact: true }).click();
  await expect(page.getByText(/Version \d+ is active$/).first()).toBeVisible();
}

test.describe('experiences', () => {
  test('a segmented experience from scratch: variants, reorder, activate, pause, resume, draft from active', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Segmented ${unique()}`, 'Experiences e2e');
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
    await page.getByRole('textbox', { name: 'Condition of variant 2' }).click();
    await page.getByRole('option', { name: 'Match All' }).click();

    // Variant priority by keyboard drag and drop: the second variant moves to the top.
    const handle = page.getByRole('button', { name: 'Drag to reorder Silver hero' });
    await keyboardDrag(page, handle, 'ArrowUp', 1);
    await expect(page.getByLabel('Name of variant 1')).toHaveValue('Silver hero');
    await expect(page.getByLabel('Name of variant 2')).toHaveValue('Gold hero');

    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved', { exact: true })).toBeVisible();
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
    await expect(page.getByText('Experience resumed', { exact: true })).toBeVisible();
    await expect(page.getByText('Version 1 is active and locked')).toBeVisible();

    await page.getByRole('button', { name: 'Create Draft' }).click();
    await expect(page.getByText('Draft Version 2 created from Version 1')).toBeVisible();
    await expect(page.getByText('Visitors keep seeing Version 1 (active) until you activate this draft.')).toBeVisible();
    await expect(page.getByLabel('Name of variant 1')).toHaveValue('Silver hero');
    await page.getByLabel('Name of variant 1').fill('Silver hero v2');
    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved', { exact: true })).toBeVisible();
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
    await page.getByRole('textbox', { name: 'Tags' }).fill('Home-Page');
    await page.getByRole('textbox', { name: 'Tags' }).press('Enter');
    await page.getByRole('textbox', { name: 'Tags' }).fill('q4:promo');
    await page.getByRole('textbox', { name: 'Tags' }).press('Enter');
    await page.getByLabel('Name').fill('Homepage hero banner');
    await snap(page, 'experiences-12-overview');
    await page.getByRole('button', { name: 'Save General Details' }).click();
    await expect(page.getByRole('heading', { name: 'Homepage hero banner' })).toBeVisible();
    await snap(page, 'experiences-12b-overview-saved');
    await expect(page.getByText('General details saved', { exact: true })).toBeVisible();

    await page.getByRole('link', { name: 'Experiences', exact: true }).first().click();
    const row = page.getByRole('row', { name: /Homepage hero banner/ });
    await expect(row.getByText('home-page')).toBeVisible();
    await expect(row.getByText('Active', { exact: true })).toBeVisible();
    await snap(page, 'experiences-13-list');
  });

  test('an A/B test from scratch: equal and custom split, target group, metrics, activate', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `AB ${unique()}`, 'Experiences e2e');
    await seedAudiences(seed);
    await seed.call('POST', '/api/events', { key: 'signup', description: 'Account created' });
    await seed.call('POST', '/api/events', { key: 'purchase', description: 'Order placed' });
    await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/projects/${seed.projectUid}/experiences`);
    await createExperience(page, 'A/B Test', 'Checkout button test');

    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Add Variant' }).click();
    await expect(page.getByLabel('Traffic of variant 1 (%)')).toHaveValue('34%');
    await expect(page.getByLabel('Traffic of variant 2 (%)')).toHaveValue('33%');
    await expect(page.getByLabel('Traffic of variant 3 (%)')).toHaveValue('33%');
    await page.getByLabel('Name of variant 1').fill('Green button');
    await page.getByLabel('Name of variant 2').fill('Orange button');
    await page.getByLabel('Name of variant 3').fill('Blue button');

    // Custom split: the sum is checked live.
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('Traffic of variant 1 (%)').fill('50');
    await expect(page.getByText('Traffic must add up to 100%; it adds up to 116%')).toBeVisible();
    await snap(page, 'experiences-20-ab-custom-split-error');
    await page.getByLabel('Traffic of variant 2 (%)').fill('25');
    await page.getByLabel('Traffic of variant 3 (%)').fill('25');
    await expect(page.getByTestId('traffic-total')).toHaveText('Total: 100%');
    await expect(page.getByText(/Traffic must add up to 100%/)).toHaveCount(0);

    await page.getByRole('radio', { name: 'Selective' }).check();
    await pickAudience(page, 'Select audiences for the target group', 'Gold members');
    await page.getByRole('button', { name: 'Add Event' }).click();
    await page.getByRole('option', { name: 'signup' }).click();
    await page.getByRole('button', { name: 'Add Event' }).click();
    await page.getByRole('option', { name: 'purchase' }).click();
    await expect(page.getByText('Primary', { exact: true })).toBeVisible();
    await expect(page.getByText('Secondary', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved', { exact: true })).toBeVisible();
    await snap(page, 'experiences-21-ab-configured');

    await activate(page);
    await expect(page.getByText('Traffic distribution is locked while the test is running or paused. Create a draft to change it.')).toBeVisible();
    await expect(page.getByLabel('Traffic of variant 1 (%)')).toHaveAttribute('readonly', '');
    await snap(page, 'experiences-22-ab-active');
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'No data yet for this version' })).toBeVisible();
    await snap(page, 'experiences-23-ab-analytics-empty');
  });

  test('the list filters by status, type and tag, deletes, and the priority drawer reorders by keyboard', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Priority ${unique()}`, 'Experiences e2e');
    const made: Array<{ uid: string; name: string }> = [];
    for (const [name, type, tags] of [
      ['Homepage hero', 'SEGMENTED', ['home']],
      ['Pricing test', 'AB_TEST', ['pricing', 'q4']],
      ['Footer banner', 'SEGMENTED', []],
      ['Old promo', 'SEGMENTED', []],
    ] as const) {
      made.push(await seed.call<{ uid: string; name: string }>('POST', '/api/experiences', { name, description: `${name} description`, __type: type, tags }));
    }
    await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/projects/${seed.projectUid}/experiences`);
    const table = page.getByRole('table', { name: 'Experiences' });
    await expect(table.getByRole('row')).toHaveCount(5);
    await snap(page, 'experiences-30-list');

    await page.getByRole('textbox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'A/B Test' }).click();
    await page.keyboard.press('Escape');
    await expect(table.getByRole('row')).toHaveCount(2);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('textbox', { name: 'Tags' }).click();
    await page.getByRole('option', { name: 'home' }).click();
    await page.getByRole('option', { name: 'q4' }).click();
    await page.keyboard.press('Escape');
    await expect(table.getByRole('row')).toHaveCount(3);
    await snap(page, 'experiences-31-list-tag-filter');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('textbox', { name: 'Search experiences' }).fill('footer');
    await expect(table.getByRole('row')).toHaveCount(2);
    await page.getByRole('textbox', { name: 'Search experiences' }).fill('');

    // Delete with the "Delete Experience" modal.
    await page.getByRole('button', { name: 'Actions for Old promo' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Experience' });
    await snap(page, 'experiences-32-delete-modal');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(table.getByRole('row')).toHaveCount(4);

    await page.getByRole('button', { name: 'Prioritize Experiences' }).click();
    const drawer = page.getByRole('dialog', { name: 'Prioritize Experiences' });
    await expect(drawer.getByRole('listitem')).toHaveCount(3);
    await keyboardDrag(page, drawer.getByRole('button', { name: 'Drag to reorder Footer banner' }), 'ArrowUp', 2);
    await expect(drawer.getByRole('listitem').first()).toHaveAccessibleName('Footer banner');
    await snap(page, 'experiences-33-prioritize-drawer');
    await drawer.getByRole('button', { name: 'Reset' }).click();
    await expect(drawer.getByRole('listitem').first()).toHaveAccessibleName('Homepage hero');
    await keyboardDrag(page, drawer.getByRole('button', { name: 'Drag to reorder Footer banner' }), 'ArrowUp', 2);
    await drawer.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Experience priority saved')).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText('Footer banner');
    const order = await seed.call<{ priorityOrder: string[] }>('GET', '/api/experiences-priority');
    expect(order.priorityOrder).toEqual([made[2]?.uid, made[0]?.uid, made[1]?.uid]);
    await snap(page, 'experiences-34-list-reordered');
  });

  test('analytics: counts, P2BB and an audience-edit marker after traffic through the real edge SDK', async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    const seed = await seedProject(baseURL ?? '', `Analytics ${unique()}`, 'Experiences e2e');
    const { gold } = await seedAudiences(seed);
    const signup = await seed.call<{ uid: string }>('POST', '/api/events', { key: 'signup', description: 'Account created' });
    const experience = await seed.call<{ uid: string; shortUid: string; latestVersion: string }>('POST', '/api/experiences', {
      name: 'Signup headline test',
      description: 'Which headline makes visitors sign up',
      __type: 'AB_TEST',
    });
    await seed.call('PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, {
      status: 'ACTIVE',
      variants: [
        { name: 'Plain headline', trafficDistribution: 50 },
        { name: 'Bold headline', trafficDistribution: 50 },
      ],
      variantSplit: 'EQUAL',
      targeting: { audience: { audiences: [gold.uid], audienceCombinationType: 'OR' } },
      metrics: [{ __type: 'Primary', event: signup.uid }],
    });

    // Visitors in the target group: impressions for all, sign-ups more often on the bold variant.
    Personalize.setEdgeApiUrl(`${baseURL ?? ''}/edge`);
    let assigned = 0;
    for (let i = 0; i < 120; i++) {
      const sdk = await Personalize.init(seed.projectUid, { userId: `visitor-${String(i)}`, liveAttributes: { plan: 'gold' } });
      const variant = sdk.getExperiences().find((e) => e.shortUid === experience.shortUid)?.activeVariantShortUid;
      if (variant === null || variant === undefined) continue;
      assigned++;
      await sdk.triggerImpression(experience.shortUid);
      if ((variant === '1' && i % 2 === 0) || (variant === '0' && i % 6 === 0)) await sdk.triggerEvent('signup');
    }
    expect(assigned).toBe(120);

    // An audience edit while the test runs: it must show up as a marker.
    const current = await seed.call<{ version: number; definition: unknown; name: string }>('GET', `/api/audiences/${gold.uid}`);
    await seed.call('PUT', `/api/audiences/${gold.uid}`, { name: 'Gold and platinum members', description: 'Plan is gold', definition: current.definition, version: current.version });

    await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/projects/${seed.projectUid}/experiences/${experience.uid}/analytics`);
    // The rollup runs about every second: refresh until the counts are in.
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh analytics' }).click();
      await expect(page.getByLabel('Variant Plain headline')).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByRole('textbox', { name: 'Version' })).toHaveValue('Active (Version 1)');
    await expect(page.getByTestId('data-collected')).toContainText('Data collected');
    const plain = page.getByLabel('Variant Plain headline');
    const bold = page.getByLabel('Variant Bold headline');
    const impressions = async (card: Locator) => Number((await card.getByText(/^\d+$/).first().textContent()) ?? '0');
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh analytics' }).click();
      expect((await impressions(plain)) + (await impressions(bold))).toBe(120);
    }).toPass({ timeout: 30_000 });
    // Over 30 primary conversions: insights (P2BB, lift) are on; a winner still needs 14 days.
    await expect(bold.getByTestId('p2bb')).toHaveText(/^\d+\.\d%$/);
    await expect(plain.getByTestId('p2bb')).toHaveText(/^\d+\.\d%$/);
    await expect(page.getByTestId('analytics-headline')).toContainText('No winner yet: needs 14 days');
    await expect(page.getByTestId('annotation-marker').first()).toBeAttached();
    await expect(page.getByRole('list', { name: 'Audience edits' })).toContainText('Gold and platinum members');
    // Markers show their details on hover and on keyboard focus.
    await page.getByTestId('annotation-marker').last().focus();
    await expect(page.getByRole('tooltip').first()).toContainText('updated');
    await snap(page, 'experiences-40-analytics-chart');

    await page.getByRole('radiogroup', { name: 'View' }).locator('label').filter({ hasText: 'Table' }).click();
    await expect(page.getByRole('table', { name: 'Analytics per variant' })).toBeVisible();
    await snap(page, 'experiences-41-analytics-table');
  });
});
