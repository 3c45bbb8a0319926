import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_ADMIN } from './support/constants.js';
import { apiToken, logIn, snap } from './support/helpers.js';

// Logins are rate limited (10 a minute): log in once, in the browser and through the API, and reuse both.
const STATE = path.join(os.tmpdir(), `tailor-e2e-audiences-${String(process.pid)}.json`);
let sharedToken: string | undefined;
test.use({ storageState: STATE });
test.beforeAll(async ({ browser, baseURL }) => {
  const context = await browser.newContext({ storageState: undefined });
  const page = await context.newPage();
  await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await context.storageState({ path: STATE });
  await context.close();
  sharedToken = await apiToken(baseURL ?? '', E2E_ADMIN.email, E2E_ADMIN.password);
});

// Seeds go through the Management API as a Contentstack client would (authtoken + x-project-uid).
interface Seed {
  token: string;
  projectUid: string;
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
}

async function seedProject(baseURL: string, name: string): Promise<Seed> {
  const token = sharedToken ?? (await apiToken(baseURL, E2E_ADMIN.email, E2E_ADMIN.password));
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
  const project = await call<{ uid: string }>('POST', '/api/projects', { name, description: 'Audience editor e2e' });
  projectUid = project.uid;
  return { token, projectUid, call };
}

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

async function openAudiences(page: Page, projectUid: string) {
  await page.goto(`/projects/${projectUid}/audiences`);
  await expect(page.getByRole('table', { name: 'Audiences' })).toBeVisible();
}

async function loggedInPage(browser: Browser): Promise<Page> {
  // Another browser with its own cookie jar: the same user, as if on a second machine.
  const context = await browser.newContext({ storageState: STATE });
  return context.newPage();
}

test.describe('profile', () => {
  test('an audience with 50 rules in 8 nested groups opens, edits and saves', async ({ page, baseURL }) => {
    const seed = await seedProject(baseURL ?? '', `Audiences ${Date.now().toString(36)}`);
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
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const started = Date.now();
    await page.getByLabel('Value for rule 50', { exact: true }).press('End');
    await page.getByLabel('Value for rule 50', { exact: true }).pressSequentially('12345', { delay: 0 });
    await expect(page.getByLabel('Value for rule 50', { exact: true })).toHaveValue(/12345$/);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
    (await import('node:fs')).writeFileSync('/tmp/editor.cpuprofile', JSON.stringify(profile));
    const longTasks = (await page.evaluate(READ_LONG_TASKS)) as number[];
    console.log(`typing 5 characters into rule 50 of 50 took ${String(Date.now() - started)} ms; long tasks: ${JSON.stringify(longTasks.map(Math.round))}`);
    await snap(page, 'audiences-13-fifty-rules');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Audience updated successfully')).toBeVisible();
  });

});
