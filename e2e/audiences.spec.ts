import { expect, test, type Browser, type Page } from '@playwright/test';
import { snap } from './support/helpers.js';
import { seedProject, type Seed } from './support/seed.js';
import { useAdminSession } from './support/session.js';

const STATE = useAdminSession('audiences');

interface AudienceJson {
  uid: string;
  name: string;
  description: string;
  version: number;
  definition: { combinationType: string; rules: Array<Record<string, unknown>> };
}

const rule = (attribute: Record<string, string>, condition: string, options?: Record<string, unknown>, invert = false) => ({
  __type: 'Rule',
  attribute,
  attributeMatchCondition: condition,
  ...(options ? { attributeMatchOptions: options } : {}),
  invertCondition: invert,
});

async function seedAudiences(seed: Seed) {
  const age = await seed.call<{ uid: string }>('POST', '/api/attributes', { name: 'Age', key: 'age', description: 'Age of the visitor' });
  const plan = await seed.call<{ uid: string }>('POST', '/api/attributes', { name: 'Plan', key: 'plan', description: 'Subscription plan' });
  const custom = (uid: string) => ({ __type: 'CustomAttributeReference', ref: uid });
  const definition = {
    __type: 'RuleCombination',
    combinationType: 'AND',
    rules: [
      rule({ __type: 'PresetAttributeReference', ref: 'COUNTRY' }, 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'US' }),
      {
        __type: 'RuleCombination',
        combinationType: 'OR',
        rules: [
          rule(custom(age.uid), 'NUMBER_GREATER_THAN', { __type: 'NumberMatchOptions', value: 30 }),
          rule(custom(plan.uid), 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'gold' }),
        ],
      },
    ],
  };
  const valuable = await seed.call<AudienceJson>('POST', '/api/audiences', { name: 'Valuable US Visitors', description: 'US visitors who spend', definition });
  const mobile = await seed.call<AudienceJson>('POST', '/api/audiences', {
    name: 'Mobile visitors',
    description: 'Phones only',
    definition: { __type: 'RuleCombination', combinationType: 'AND', rules: [rule({ __type: 'PresetAttributeReference', ref: 'DEVICE_TYPE' }, 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'MOBILE' })] },
  });
  return { age, plan, valuable, mobile };
}

// Browser-side scripts as strings: the e2e project compiles without the DOM library.
const WATCH_LONG_TASKS = `window.longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' });`;
const READ_LONG_TASKS = 'window.longTasks';

async function pickOption(page: Page, label: string, option: string | RegExp, search?: string) {
  const input = page.getByRole('textbox', { name: label, exact: true });
  await input.click();
  if (search !== undefined) await input.fill(search);
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).first().click();
}

async function openAudiences(page: Page, projectUid: string, timeout = 10_000) {
  await page.goto(`/projects/${projectUid}/audiences`);
  await expect(page.getByRole('table', { name: 'Audiences' })).toBeVisible({ timeout });
}

async function loggedInPage(browser: Browser): Promise<Page> {
  // Another browser with its own cookie jar: the same user, as if on a second machine.
  const context = await browser.newContext({ storageState: STATE });
  return context.newPage();
}

test.describe('audiences', () => {
  test('edit by clicking the name: name, description, a rule, a nested group, the match type; persisted', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { valuable } = await seedAudiences(seed);
    await openAudiences(page, seed.projectUid);
    await expect(page.getByTestId('records-count')).toHaveText(/1 to 2 of 2 records/);
    await snap(page, 'audiences-01-list');

    await page.getByRole('link', { name: 'Valuable US Visitors' }).click();
    await expect(page).toHaveURL(new RegExp(`/audiences/${valuable.uid}$`));
    await expect(page.getByTestId('audience-summary')).toHaveText('Country is "US" and (Age > 30 or Plan is "gold")');
    await snap(page, 'audiences-02-editor');

    await page.getByLabel('Name').fill('Valuable North Americans');
    await page.getByLabel('Description').fill('US and Canadian visitors who spend');
    // A rule: the country becomes Canada (searchable country list).
    await pickOption(page, 'Value for rule 1', 'Canada (CA)', 'Canada');
    // The nested group: match all instead of any, and a third rule in it.
    await pickOption(page, 'Match type for group 2', 'All');
    await page.getByRole('button', { name: 'Add rule to group 2' }).click();
    await pickOption(page, 'Attribute for rule 4', 'Device Type', 'Dev');
    await pickOption(page, 'Value for rule 4', 'Desktop');
    await page.getByLabel('Invert rule 4 (is not)').check();
    // The top-level match type.
    await pickOption(page, 'Match type for top-level group', 'Any');
    await expect(page.getByTestId('audience-summary')).toHaveText(
      'Country is "CA" or (Age > 30 and Plan is "gold" and Device type is not "DESKTOP")',
    );
    await snap(page, 'audiences-03-editor-changed');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Audience updated successfully')).toBeVisible();

    await page.reload();
    await expect(page.getByLabel('Name')).toHaveValue('Valuable North Americans');
    await expect(page.getByLabel('Description')).toHaveValue('US and Canadian visitors who spend');
    await expect(page.getByTestId('audience-summary')).toHaveText('Country is "CA" or (Age > 30 and Plan is "gold" and Device type is not "DESKTOP")');
    const saved = await seed.call<AudienceJson>('GET', `/api/audiences/${valuable.uid}`);
    expect(saved.name).toBe('Valuable North Americans');
    expect(saved.definition.combinationType).toBe('OR');
    expect(saved.version).toBe(valuable.version + 1);
    expect(JSON.stringify(saved.definition)).toContain('"value":"CA"');
  });

  test('edit through the actions menu; invalid input points at the row; unsaved-changes guard', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { mobile } = await seedAudiences(seed);
    await openAudiences(page, seed.projectUid);
    await page.getByRole('button', { name: 'Actions for Mobile visitors' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await expect(page).toHaveURL(new RegExp(`/audiences/${mobile.uid}$`));

    // A number rule with text in it: flagged on its row, save refused.
    await page.getByRole('button', { name: 'Add rule to top-level group' }).click();
    await pickOption(page, 'Attribute for rule 2', 'Age (age)', 'Age');
    await pickOption(page, 'Operator for rule 2', 'is between');
    await page.getByLabel('Value for rule 2', { exact: true }).fill('18');
    await page.getByLabel('Upper value for rule 2').fill('abc');
    await expect(page.getByTestId('rule-2-error')).toContainText('finite number');
    await page.getByLabel('Name').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Please enter an audience name')).toBeVisible();
    await snap(page, 'audiences-04-validation');
    await page.getByLabel('Upper value for rule 2').fill('34');
    await page.getByLabel('Name').fill('Young mobile visitors');

    // Leaving with unsaved changes asks first.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog', { name: 'Discard unsaved changes?' })).toBeVisible();
    await page.getByRole('button', { name: 'Keep editing' }).click();
    await expect(page.getByLabel('Name')).toHaveValue('Young mobile visitors');

    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Audience updated successfully')).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/audiences$/);
    await expect(page.getByRole('link', { name: 'Young mobile visitors' })).toBeVisible();
    const saved = await seed.call<AudienceJson>('GET', `/api/audiences/${mobile.uid}`);
    expect(saved.definition.rules[1]).toMatchObject({ attributeMatchCondition: 'NUMBER_BETWEEN', attributeMatchOptions: { min: 18, max: 34 } });
  });

  test('creates an audience with the keyboard-friendly builder', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    await page.goto(`/projects/${seed.projectUid}/audiences`);
    await expect(page.getByRole('heading', { name: 'No audiences yet' })).toBeVisible();
    await snap(page, 'audiences-05-empty');
    await page.getByTestId('add-new-audience-button').click();
    await expect(page.getByRole('heading', { name: 'Untitled' })).toBeVisible();
    await page.getByLabel('Name').fill('Black Friday Campaign');
    await page.getByLabel('Description').fill('Visitors targeted with the Black Friday Campaign');
    // Keyboard only: focus the attribute select, type to filter, Enter to choose.
    await page.getByRole('textbox', { name: 'Attribute for rule 1' }).focus();
    await page.keyboard.type('Query');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('textbox', { name: 'Operator for rule 1' })).toHaveValue('has any value');
    await page.getByRole('textbox', { name: 'Operator for rule 1' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('option', { name: 'has query parameter' })).toBeVisible();
    // On opening, Mantine points its keyboard index at the chosen option in a zero-delay timeout;
    // an arrow press before that timeout moved the highlight but not the index Enter then used.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    // Arrow keys move the highlighted option; Enter picks it. Each press waits for the highlight
    // to move, so a fast keyboard never outruns the list (or wraps past the wanted option).
    const highlighted = page.locator('[data-combobox-selected]');
    for (let i = 0; i < 5; i += 1) {
      const before = (await highlighted.count()) === 1 ? await highlighted.textContent() : null;
      if (before === 'has query parameter') break;
      await page.keyboard.press('ArrowDown');
      if (before === null) await expect(highlighted).toHaveCount(1);
      else await expect(highlighted).not.toHaveText(before);
    }
    await expect(highlighted).toHaveText('has query parameter');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('textbox', { name: 'Operator for rule 1' })).toHaveValue('has query parameter');
    await page.getByLabel('Value for rule 1', { exact: true }).fill('utm_campaign');
    await page.getByLabel('Parameter value for rule 1').fill('black-friday');
    await page.getByRole('button', { name: 'Add group to top-level group' }).click();
    await pickOption(page, 'Attribute for rule 2', 'Date And Time', 'Date');
    await pickOption(page, 'Operator for rule 2', 'is after');
    await page.getByLabel('Value for rule 2', { exact: true }).click();
    await snap(page, 'audiences-06-date-picker');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Delete group 2' }).click();
    // Nest the rule: it moves into a new group of its own.
    await page.getByRole('button', { name: 'Put rule 1 in a new group' }).click();
    await expect(page.getByRole('group', { name: 'Group 2' }).getByRole('group', { name: 'Rule 1' })).toBeVisible();
    await snap(page, 'audiences-07-new');
    await page.getByTestId('audience-create-button').click();
    await expect(page.getByText('Audience created successfully')).toBeVisible();
    await expect(page).toHaveURL(/\/audiences\/[0-9a-f]{24}$/);
    const list = await seed.call<AudienceJson[]>('GET', '/api/audiences');
    expect(list.map((a) => a.name)).toEqual(['Black Friday Campaign']);
    expect(list[0]?.definition.rules[0]).toMatchObject({
      __type: 'RuleCombination',
      rules: [{ attributeMatchCondition: 'JSON_MATCH', attributeMatchOptions: { key: 'utm_campaign', value: 'black-friday' } }],
    });
  });

  test('tests an audience in the side panel', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { valuable } = await seedAudiences(seed);
    await page.goto(`/projects/${seed.projectUid}/audiences/${valuable.uid}`);
    await page.getByRole('button', { name: 'Test this audience' }).click();
    const panel = page.getByRole('complementary', { name: 'Test this audience' });
    await expect(panel.getByTestId('test-result')).toHaveText('Visitor does not match');
    await pickOption(page, 'Country', 'United States (US)', 'United States');
    await panel.getByLabel('Sample value for Age').fill('42');
    await expect(panel.getByTestId('test-result')).toHaveText('Visitor matches');
    await expect(panel.getByTestId('test-explanation')).toContainText('Rule 2: Age is "42": satisfies "Age > 30"');
    await snap(page, 'audiences-08-test-panel');
    await panel.getByLabel('Sample value for Age').fill('20');
    await panel.getByLabel('Sample value for Plan').fill('silver');
    await expect(panel.getByTestId('test-result')).toHaveText('Visitor does not match');
    // Editing the rules re-tests live.
    await page.getByLabel('Value for rule 3', { exact: true }).fill('silver');
    await expect(panel.getByTestId('test-result')).toHaveText('Visitor matches');
  });

  test('a conflict from a second browser resolves without losing input', async ({ page, browser, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { valuable } = await seedAudiences(seed);
    await page.goto(`/projects/${seed.projectUid}/audiences/${valuable.uid}`);
    await expect(page.getByLabel('Name')).toHaveValue('Valuable US Visitors');

    // Someone else saves first, in another browser.
    const other = await loggedInPage(browser);
    await other.goto(`/projects/${seed.projectUid}/audiences/${valuable.uid}`);
    await other.getByLabel('Name').fill('Valuable US Visitors (theirs)');
    await pickOption(other, 'Operator for rule 1', 'contains');
    await other.getByRole('button', { name: 'Save' }).click();
    await expect(other.getByText('Audience updated successfully')).toBeVisible();
    await other.context().close();

    await page.getByLabel('Description').fill('My careful description');
    await page.getByLabel('Value for rule 2', { exact: true }).fill('45');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Someone else changed this audience' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText('Valuable US Visitors (theirs)')).toBeVisible();
    await expect(dialog.getByText('Country contains "US"')).toBeVisible();
    await expect(dialog.getByText('Age > 45')).toBeVisible();
    await snap(page, 'audiences-09-conflict');
    // Copy aside shows the JSON too (the clipboard may be unavailable headless).
    await dialog.getByRole('button', { name: 'Show JSON' }).click();
    await expect(dialog.getByLabel('Your draft (JSON)')).toHaveValue(/My careful description/);
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    await expect(page.getByText('Audience updated successfully')).toBeVisible();
    const saved = await seed.call<AudienceJson>('GET', `/api/audiences/${valuable.uid}`);
    expect(saved.description).toBe('My careful description');
    expect(saved.version).toBe(3);
    expect(JSON.stringify(saved.definition)).toContain('"value":45');
  });

  test('restores an old revision from History', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { valuable } = await seedAudiences(seed);
    await seed.call('PUT', `/api/audiences/${valuable.uid}`, { name: 'Renamed by API', description: 'Changed', definition: valuable.definition, version: 1 });
    await page.goto(`/projects/${seed.projectUid}/audiences/${valuable.uid}`);
    await expect(page.getByLabel('Name')).toHaveValue('Renamed by API');
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('revision-1').click();
    await expect(page.getByRole('table', { name: 'Revision 1 compared with Current (v2)' })).toBeVisible();
    await snap(page, 'audiences-10-history');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('dialog', { name: 'Restore revision 1?' }).getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByText('Revision 1 restored')).toBeVisible();
    await expect(page.getByLabel('Name')).toHaveValue('Valuable US Visitors');
    const saved = await seed.call<AudienceJson>('GET', `/api/audiences/${valuable.uid}`);
    expect(saved).toMatchObject({ name: 'Valuable US Visitors', description: 'US visitors who spend', version: 3 });
  });

  test('a referenced audience: banner, save confirmation, blocked delete; an unreferenced one deletes', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { valuable, mobile } = await seedAudiences(seed);
    const experience = await seed.call<{ uid: string; latestVersion: string }>('POST', '/api/experiences', { name: 'Homepage hero', description: '', __type: 'SEGMENTED' });
    await seed.call('PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, {
      status: 'ACTIVE',
      variants: [{ name: 'Big spenders', audiences: [valuable.uid], audienceCombinationType: 'AND' }],
      targeting: null,
    });
    await openAudiences(page, seed.projectUid);
    await expect(page.getByRole('button', { name: 'Valuable US Visitors is used in 1 experiences' })).toBeVisible();

    await page.getByRole('button', { name: 'Actions for Valuable US Visitors' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const blocked = page.getByRole('dialog', { name: "This audience can't be deleted" });
    await expect(blocked.getByRole('link', { name: 'Homepage hero' })).toBeVisible();
    await expect(blocked.getByText('ACTIVE')).toBeVisible();
    await snap(page, 'audiences-11-delete-blocked');
    await blocked.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'Valuable US Visitors' }).click();
    await expect(page.getByTestId('audience-references-banner')).toContainText('Homepage hero');
    await page.getByLabel('Description').fill('Now with a warning');
    await page.getByRole('button', { name: 'Save' }).click();
    const confirm = page.getByRole('dialog', { name: 'Save an audience that live experiences use?' });
    await expect(confirm.getByText('Homepage hero')).toBeVisible();
    await snap(page, 'audiences-12-save-confirm');
    await confirm.getByRole('button', { name: 'Save anyway' }).click();
    await expect(page.getByText('Audience updated successfully')).toBeVisible();

    await openAudiences(page, seed.projectUid);
    await page.getByRole('button', { name: 'Actions for Mobile visitors' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Audience' });
    await expect(dialog.getByText('Delete the audience Mobile visitors?')).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('Audience deleted successfully')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Mobile visitors' })).toHaveCount(0);
    expect((await seed.call<AudienceJson[]>('GET', '/api/audiences')).map((a) => a.uid)).toEqual([valuable.uid]);
    void mobile;
  });

  test('an audience with 50 rules in 8 nested groups opens, edits and saves', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    const { age } = await seedAudiences(seed);
    const leaf = (i: number) => rule({ __type: 'CustomAttributeReference', ref: age.uid }, 'NUMBER_GREATER_THAN', { __type: 'NumberMatchOptions', value: i });
    // 7 nested levels below the root, 50 rules spread over them.
    let group: Record<string, unknown> = { __type: 'RuleCombination', combinationType: 'OR', rules: Array.from({ length: 8 }, (_, i) => leaf(i)) };
    let n = 8;
    for (let level = 0; level < 7; level += 1) {
      const count = level === 6 ? 50 - n : 6;
      group = { __type: 'RuleCombination', combinationType: level % 2 === 0 ? 'AND' : 'OR', rules: [...Array.from({ length: count }, (_, i) => leaf(n + i)), group] };
      n += count;
    }
    const big = await seed.call<AudienceJson>('POST', '/api/audiences', { name: 'Fifty rules', description: 'Deep', definition: group });
    await page.goto(`/projects/${seed.projectUid}/audiences/${big.uid}`);
    await expect(page.getByLabel('Value for rule 50', { exact: true })).toBeVisible();
    // Long tasks (> 50 ms on the main thread) while typing are what a user feels as lag.
    await page.evaluate(WATCH_LONG_TASKS);
    const started = Date.now();
    await page.getByLabel('Value for rule 50', { exact: true }).press('End');
    await page.getByLabel('Value for rule 50', { exact: true }).pressSequentially('12345', { delay: 0 });
    await expect(page.getByLabel('Value for rule 50', { exact: true })).toHaveValue(/12345$/);
    const longTasks = (await page.evaluate(READ_LONG_TASKS)) as number[];
    console.log(`typing 5 characters into rule 50 of 50 took ${String(Date.now() - started)} ms; long tasks: ${JSON.stringify(longTasks.map(Math.round))}`);
    await snap(page, 'audiences-13-fifty-rules');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Audience updated successfully')).toBeVisible();
  });

  test('a list of 1,000 audiences pages and searches', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`, 'Audience editor e2e');
    await seed.call('PUT', `/api/projects/${seed.projectUid}/limits`, { audiences: 1000 });
    const definition = { __type: 'RuleCombination', combinationType: 'AND', rules: [rule({ __type: 'PresetAttributeReference', ref: 'CITY' }, 'HAS_ANY_VALUE')] };
    for (let start = 0; start < 1000; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          seed.call('POST', '/api/audiences', { name: `Segment ${String(start + i).padStart(4, '0')}`, description: (start + i) % 7 === 0 ? 'weekly' : '', definition }),
        ),
      );
    }
    // The list of 1,000 with reference counts is the server's slowest read; give it time on a busy machine.
    await openAudiences(page, seed.projectUid, 30_000);
    await expect(page.getByTestId('records-count')).toHaveText('1 to 25 of 1000 records');
    await expect(page.locator('table[aria-label="Audiences"] tbody tr')).toHaveCount(25);
    await page.evaluate(WATCH_LONG_TASKS);
    const started = Date.now();
    await page.getByLabel('Search audiences').pressSequentially('weekly', { delay: 0 });
    await expect(page.getByTestId('records-count')).toHaveText('1 to 25 of 143 records (1000 audiences in all)');
    const longTasks = (await page.evaluate(READ_LONG_TASKS)) as number[];
    console.log(`searching 1,000 audiences while typing 6 characters took ${String(Date.now() - started)} ms; long tasks: ${JSON.stringify(longTasks.map(Math.round))}`);
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await expect(page.locator('table[aria-label="Audiences"] tbody tr').first()).toContainText('Segment 0000');
    await page.getByRole('button', { name: '6', exact: true }).click();
    await expect(page.getByTestId('records-count')).toHaveText('126 to 143 of 143 records (1000 audiences in all)');
    await snap(page, 'audiences-14-thousand');
  });
});
