import { expect, test, type Page } from '@playwright/test';
import { E2E_ADMIN } from './support/constants.js';
import { logIn, snap } from './support/helpers.js';
import { seedProject, type Seed } from './support/seed.js';

const unique = () => Date.now().toString(36);

/** A segmented experience whose draft has one variant for a "Gold members" audience. */
async function seedSegmented(seed: Seed): Promise<{ uid: string }> {
  const plan = await seed.call<{ uid: string }>('POST', '/api/attributes', { name: 'Plan', key: 'plan', description: 'Subscription plan' });
  const gold = await seed.call<{ uid: string }>('POST', '/api/audiences', {
    name: 'Gold members',
    description: 'Plan is gold',
    definition: {
      __type: 'RuleCombination',
      combinationType: 'AND',
      rules: [
        {
          __type: 'Rule',
          attribute: { __type: 'CustomAttributeReference', ref: plan.uid },
          attributeMatchCondition: 'STRING_EQUALS',
          attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' },
          invertCondition: false,
        },
      ],
    },
  });
  const experience = await seed.call<{ uid: string; latestVersion: string }>('POST', '/api/experiences', {
    name: 'Homepage hero',
    description: 'Hero banner per plan',
    __type: 'SEGMENTED',
  });
  await seed.call('PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, {
    status: 'DRAFT',
    variants: [{ name: 'Gold hero', audiences: [gold.uid], audienceCombinationType: 'OR' }],
  });
  return experience;
}

/** Invites `email` to the project and accepts through the API, as the invitee would through the link. */
async function addMember(baseURL: string, seed: Seed, email: string, password: string): Promise<void> {
  const [row] = await seed.call<Array<{ invitationUrl: string | null }>>('POST', `/api/projects/${seed.projectUid}/invitations`, { emails: [email] });
  const token = row?.invitationUrl?.split('/').pop();
  if (token === undefined) throw new Error('the invitation has no link');
  const accepted = await fetch(`${baseURL}/api/invitations/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { firstName: 'Mia', lastName: 'Member', password } }),
  });
  if (!accepted.ok) throw new Error(`accepting the invitation → ${String(accepted.status)}`);
}

const guard = (page: Page) => page.getByRole('dialog', { name: 'Discard unsaved changes?' });

test.describe('experience editing', () => {
  test('a project Member manages experiences like an Owner (spec §5) and sees Settings read-only', async ({ browser, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Member ${unique()}`, 'Experiences e2e');
    const experience = await seedSegmented(seed);
    const email = `member-${unique()}@e2e.test`;
    await addMember(baseURL ?? '', seed, email, 'member-password-1');

    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, email, 'member-password-1');
    await page.goto(`/projects/${seed.projectUid}/experiences`);
    await expect(page.getByRole('button', { name: 'New Experience' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Prioritize Experiences' })).toBeVisible();
    await page.getByRole('link', { name: 'Homepage hero' }).click();
    await expect(page).toHaveURL(new RegExp(`/experiences/${experience.uid}/configuration`));
    await expect(page.getByText(/read-only access/)).toHaveCount(0);

    await page.getByLabel('Name of variant 1').fill('Gold hero (member)');
    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Activate Draft' })).toBeEnabled();
    await snap(page, 'editing-01-member-configuration');

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByText('Only project Owners can change settings')).toBeVisible();
    await expect(page.getByLabel('Name')).toBeDisabled();
    await snap(page, 'editing-02-member-settings-readonly');
    await context.close();
  });

  test('leaving unsaved configuration or overview edits asks first; "Keep editing" keeps them', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Guard ${unique()}`, 'Experiences e2e');
    const experience = await seedSegmented(seed);
    await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/projects/${seed.projectUid}/experiences`);
    await page.getByRole('link', { name: 'Homepage hero' }).click();
    const configuration = new RegExp(`/experiences/${experience.uid}/configuration$`);
    await expect(page).toHaveURL(configuration);

    const variantName = page.getByLabel('Name of variant 1');
    await variantName.fill('Gold hero v2');
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect(guard(page)).toBeVisible();
    await page.waitForTimeout(300); // the modal's fade-in, for the screenshot
    await snap(page, 'editing-03-guard-tab-switch');
    await guard(page).getByRole('button', { name: 'Keep editing' }).click();
    await expect(guard(page)).toBeHidden();
    await expect(page).toHaveURL(configuration);
    await expect(variantName).toHaveValue('Gold hero v2');

    // The browser's back button is guarded too.
    await page.goBack();
    await expect(guard(page)).toBeVisible();
    await guard(page).getByRole('button', { name: 'Keep editing' }).click();
    await expect(page).toHaveURL(configuration);
    await expect(variantName).toHaveValue('Gold hero v2');

    // Saved edits leave freely.
    await page.getByRole('button', { name: 'Save Draft' }).click();
    await expect(page.getByText('Draft saved', { exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(guard(page)).toHaveCount(0);

    // The Overview form: "Discard changes" leaves and drops the edit.
    await page.getByLabel('Name').fill('Homepage hero (renamed)');
    await page.getByRole('link', { name: 'Experiences', exact: true }).first().click();
    await expect(guard(page)).toBeVisible();
    await guard(page).getByRole('button', { name: 'Keep editing' }).click();
    await expect(guard(page)).toBeHidden();
    await expect(page.getByLabel('Name')).toHaveValue('Homepage hero (renamed)');
    await snap(page, 'editing-04-overview-kept');
    await page.getByRole('link', { name: 'Configuration', exact: true }).click();
    await guard(page).getByRole('button', { name: 'Discard changes' }).click();
    await expect(page).toHaveURL(configuration);
    await expect(variantName).toHaveValue('Gold hero v2');
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect(page.getByLabel('Name')).toHaveValue('Homepage hero');

    // Closing the tab with unsaved edits: the browser's own prompt.
    await page.getByLabel('Name').fill('Homepage hero (unsaved)');
    const prompt = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await prompt;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
  });
});
