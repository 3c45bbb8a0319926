import { expect, test } from '@playwright/test';
import { snap } from './support/helpers.js';
import { seedProject } from './support/seed.js';
import { useAdminSession } from './support/session.js';

useAdminSession('impact');

const rule = (ref: string, condition: string, options: Record<string, unknown>) => ({
  __type: 'Rule',
  attribute: { __type: 'CustomAttributeReference', ref },
  attributeMatchCondition: condition,
  attributeMatchOptions: options,
  invertCondition: false,
});

/** Twenty recent visitors aged 10, 12, … 48, every other one on the "pro" plan. */
const VISITORS = Array.from({ length: 20 }, (_, i) => ({ uid: `e2e-visitor-${String(i).padStart(2, '0')}`, age: 10 + 2 * i, plan: i % 2 === 0 ? 'pro' : 'free' }));

test('previewing an audience edit, then saving it through the confirmation, records the figures in History', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const { projectUid, call } = await seedProject(base, 'Impact preview', 'Impact preview e2e');
  const age = await call<{ uid: string }>('POST', '/api/attributes', { name: 'Age', key: 'age', description: '' });
  const plan = await call<{ uid: string }>('POST', '/api/attributes', { name: 'Plan', key: 'plan', description: '' });
  const group = (r: unknown) => ({ __type: 'RuleCombination', combinationType: 'AND', rules: [r] });
  const adults = await call<{ uid: string }>('POST', '/api/audiences', {
    name: 'Adults',
    description: 'Older than 25',
    definition: group(rule(age.uid, 'NUMBER_GREATER_THAN', { __type: 'NumberMatchOptions', value: 25 })),
  });
  const pro = await call<{ uid: string }>('POST', '/api/audiences', { name: 'Pro plan', description: '', definition: group(rule(plan.uid, 'STRING_EQUALS', { __type: 'StringMatchOptions', value: 'pro' })) });
  // "Adults" comes first, so it wins over the later "Pro plan" variant.
  const experience = await call<{ uid: string; latestVersion: string }>('POST', '/api/experiences', { name: 'Homepage hero', __type: 'SEGMENTED' });
  await call('PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, {
    status: 'ACTIVE',
    variants: [
      { __type: 'SegmentedVariant', name: 'For adults', audiences: [adults.uid], audienceCombinationType: 'OR' },
      { __type: 'SegmentedVariant', name: 'For pro', audiences: [pro.uid], audienceCombinationType: 'OR' },
    ],
  });
  // The visitors are seen by the Edge API, which keeps the recent-visitor record the preview samples.
  for (const v of VISITORS) {
    const response = await fetch(`${base}/edge/manifest`, {
      headers: { 'x-project-uid': projectUid, 'x-cs-personalize-user-uid': v.uid, 'x-live-attributes': JSON.stringify({ age: v.age, plan: v.plan }) },
    });
    expect(response.ok).toBe(true);
  }
  // Sightings are written within a second, and an empty sample is never cached. But when the
  // twenty straddle a flush, the first preview can read and cache a partial sample for its 15 s
  // (ADR 0070); the read after that serves it once more and refreshes it, so wait past that.
  await expect
    .poll(async () => (await call<{ sampleSize: number }>('POST', `/api/audiences/${adults.uid}/impact`, {})).sampleSize, { timeout: 25_000 })
    .toBe(20);

  await page.goto(`/projects/${projectUid}/audiences/${adults.uid}`);
  await expect(page.getByTestId('audience-summary')).toHaveText('Age > 25');
  await page.getByTestId('preview-impact-button').click();
  const panel = page.getByTestId('impact-preview');
  await expect(panel.getByTestId('impact-members')).toHaveText('12 → 12');
  await expect(panel.getByTestId('impact-sample')).toContainText('Based on 20 recently seen visitors');

  // Tighten the bound: ages 26–34 leave; the pro ones fall through to the later variant.
  await page.getByLabel('Value for rule 1', { exact: true }).fill('35');
  await expect(panel.getByTestId('impact-left')).toHaveText('−5');
  await expect(panel.getByTestId('impact-joined')).toHaveText('+0');
  await expect(panel.getByTestId('impact-experience')).toContainText('5 change variant');
  await snap(page, 'impact-01-tightened');

  // Loosen it instead: ages 16–24 join.
  await page.getByLabel('Value for rule 1', { exact: true }).fill('15');
  await expect(panel.getByTestId('impact-joined')).toHaveText('+5');
  await expect(panel.getByTestId('impact-left')).toHaveText('−0');
  await expect(panel.getByTestId('impact-example-joined').first()).toContainText('satisfies');
  await snap(page, 'impact-02-loosened');

  // The edit to save: ages 26, 28 and 30 leave.
  await page.getByLabel('Value for rule 1', { exact: true }).fill('30');
  await expect(panel.getByTestId('impact-left')).toHaveText('−3');
  await page.getByTestId('save-audience-button').click();
  const dialog = page.getByRole('dialog', { name: 'Save an audience that live experiences use?' });
  await expect(dialog.getByTestId('impact-left')).toHaveText('−3');
  await expect(dialog.getByTestId('impact-transitions')).toContainText('For adultsFor pro2');
  await expect(dialog.getByRole('button', { name: 'Save anyway' })).toBeInViewport();
  await snap(page, 'impact-03-confirmation');
  await dialog.getByRole('button', { name: 'Save anyway' }).click();
  await expect(dialog).toBeHidden();

  // Compared with the saved version now, the same draft moves nobody.
  await expect(panel.getByTestId('impact-members')).toHaveText('9 → 9');
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByTestId('revision-2').getByTestId('revision-impact')).toHaveText('Saved with 0 of 20 recent visitors joining, 3 leaving, 3 changing variant');
  // Let the drawer finish sliding in before the screenshot.
  await page.waitForTimeout(500);
  await snap(page, 'impact-04-history');
  const revisions = await call<Array<{ number: number; summary: { impact?: unknown } }>>('GET', `/api/audiences/${adults.uid}/revisions`);
  expect(revisions[0]?.summary.impact).toEqual({ sampleSize: 20, joined: 0, left: 3, visitorsChangingVariant: 3 });
});
