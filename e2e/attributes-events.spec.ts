import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from './support/constants.js';
import { apiToken, snap } from './support/helpers.js';
import { useAdminSession } from './support/session.js';

useAdminSession('attributes');

async function api<T>(baseURL: string, projectUid: string | null, method: string, url: string, body?: unknown): Promise<T> {
  const token = await apiToken(baseURL, E2E_ADMIN.email, E2E_ADMIN.password);
  const headers: Record<string, string> = { authtoken: token, accept: 'application/json' };
  if (projectUid) headers['x-project-uid'] = projectUid;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseURL}${url}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${String(response.status)} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function newProject(baseURL: string): Promise<string> {
  const project = await api<{ uid: string }>(baseURL, null, 'POST', '/api/projects', { name: `Attributes ${Date.now().toString(36)}`, description: '' });
  return project.uid;
}

test('attributes: presets read-only, create and edit a custom one, a used one cannot be deleted', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const projectUid = await newProject(base);
  await page.goto(`/projects/${projectUid}/attributes`);
  const table = page.getByRole('table', { name: 'Attributes' });
  await expect(table.getByRole('row', { name: /Country/ })).toContainText('Preset');
  await expect(table.getByRole('button', { name: 'Country is read-only' })).toBeVisible();
  await snap(page, 'attributes-01-presets');

  await page.getByRole('button', { name: 'New Attribute' }).click();
  const modal = page.getByRole('dialog', { name: 'New Attribute' });
  await modal.getByRole('button', { name: 'Create' }).click();
  await expect(modal.getByText('Please enter an attribute name')).toBeVisible();
  await modal.getByLabel('Name').fill('Plan');
  await modal.getByLabel('Key').fill('plan');
  await modal.getByLabel('Description').fill('Subscription plan');
  await snap(page, 'attributes-02-new-modal');
  await modal.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('New attribute added successfully')).toBeVisible();
  await expect(table.getByRole('row', { name: /Plan/ })).toContainText('plan');

  await page.getByRole('button', { name: 'Actions for Plan' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Attribute' });
  await edit.getByLabel('Name').fill('Subscription plan');
  await edit.getByLabel('Key').fill('subscriptionPlan');
  await expect(edit.getByText('Edge clients that set the old key must be updated')).toBeVisible();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Attribute updated successfully')).toBeVisible();
  await expect(table.getByRole('row', { name: /Subscription plan/ })).toContainText('subscriptionPlan');
  await snap(page, 'attributes-03-list');

  // An audience uses it: deleting is refused with the audience named.
  const attributes = await api<Array<{ uid: string; key?: string }>>(base, projectUid, 'GET', '/api/attributes');
  const plan = attributes.find((a) => a.key === 'subscriptionPlan');
  await api(base, projectUid, 'POST', '/api/audiences', {
    name: 'Gold members',
    description: '',
    definition: {
      __type: 'RuleCombination',
      combinationType: 'AND',
      rules: [
        {
          __type: 'Rule',
          attribute: { __type: 'CustomAttributeReference', ref: plan?.uid },
          attributeMatchCondition: 'STRING_EQUALS',
          attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' },
          invertCondition: false,
        },
      ],
    },
  });
  const blocked = page.getByRole('dialog', { name: "This attribute can't be deleted" });
  // On a cold server the menu's opening transition can swallow the first click: open and click
  // again until the dialog shows.
  await expect(async () => {
    const item = page.getByRole('menuitem', { name: 'Delete' });
    if (!(await item.isVisible())) await page.getByRole('button', { name: 'Actions for Subscription plan' }).click();
    await item.click({ timeout: 2_000 });
    await expect(blocked.getByRole('link', { name: 'Gold members' })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await snap(page, 'attributes-04-delete-blocked');
  await blocked.getByRole('button', { name: 'Close' }).click();

  // An unused one deletes.
  await api(base, projectUid, 'POST', '/api/attributes', { name: 'Age', key: 'age', description: '' });
  await page.getByRole('button', { name: 'Refresh List' }).click();
  await page.getByRole('button', { name: 'Actions for Age' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete Attribute' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Attribute deleted successfully')).toBeVisible();
  await expect(table.getByRole('row', { name: /^Age/ })).toHaveCount(0);
});

test('events: create, edit, search, and a used event cannot be deleted', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const projectUid = await newProject(base);
  await page.goto(`/projects/${projectUid}/events`);
  await expect(page.getByRole('heading', { name: 'No events yet' })).toBeVisible();
  await snap(page, 'events-01-empty');
  await page.getByRole('button', { name: 'New Event' }).click();
  const modal = page.getByRole('dialog', { name: 'New Event' });
  await modal.getByLabel('Key').fill('purchase');
  await modal.getByLabel('Description').fill('Checkout completed');
  await modal.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('New event added successfully')).toBeVisible();
  const table = page.getByRole('table', { name: 'Events' });
  await expect(table.getByRole('row', { name: /purchase/ })).toContainText('Checkout completed');

  await page.getByRole('button', { name: 'Actions for purchase' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Event' });
  await edit.getByLabel('Description').fill('Order placed');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Event updated successfully')).toBeVisible();
  await expect(table.getByRole('row', { name: /purchase/ })).toContainText('Order placed');

  await api(base, projectUid, 'POST', '/api/events', { key: 'signup', description: 'Account created' });
  await page.getByRole('button', { name: 'Refresh List' }).click();
  await page.getByLabel('Search events').fill('sign');
  await expect(page.getByTestId('records-count')).toHaveText(/1 to 1 of 1 records \(2 events in all\)/);
  await snap(page, 'events-02-list');
  await page.getByLabel('Search events').fill('');

  // An active A/B test measures "purchase": deleting it is refused with the experience named.
  const events = await api<Array<{ uid: string; key: string }>>(base, projectUid, 'GET', '/api/events');
  const purchase = events.find((e) => e.key === 'purchase');
  const experience = await api<{ uid: string; latestVersion: string }>(base, projectUid, 'POST', '/api/experiences', { name: 'Checkout test', description: '', __type: 'AB_TEST' });
  await api(base, projectUid, 'PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, {
    status: 'ACTIVE',
    variants: [
      { name: 'Control', trafficDistribution: 50 },
      { name: 'One-click', trafficDistribution: 50 },
    ],
    targeting: null,
    metrics: [{ __type: 'Primary', event: purchase?.uid }],
  });
  await page.getByRole('button', { name: 'Actions for purchase' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const blocked = page.getByRole('dialog', { name: "This event can't be deleted" });
  await expect(blocked.getByRole('link', { name: 'Checkout test' })).toBeVisible();
  await snap(page, 'events-03-delete-blocked');
  await blocked.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Actions for signup' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete Event' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Event deleted successfully')).toBeVisible();
});
