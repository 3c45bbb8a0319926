import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Audience, ImpactPreview } from '@tailor/contract';
import { fakeServer, json } from '../../test/fake-server';
import { aProject, aUser } from '../../test/fixtures';
import { renderAt } from '../../test/render';

vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const project = aProject();
const base = `/projects/${project.uid}/audiences`;

function anAudience(i: number, overrides: Partial<Audience> = {}): Audience {
  const uid = (0x65f0c0ffee00000000000000n + BigInt(i)).toString(16).padStart(24, '0');
  return {
    uid,
    name: `Audience ${String(i).padStart(4, '0')}`,
    description: i % 10 === 0 ? `Tenth ${String(i)}` : 'Plain',
    definition: {
      __type: 'RuleCombination',
      combinationType: 'AND',
      rules: [
        {
          __type: 'Rule',
          attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' },
          attributeMatchCondition: 'STRING_EQUALS',
          attributeMatchOptions: { __type: 'StringMatchOptions', value: 'US' },
          invertCondition: false,
        },
      ],
    },
    project: project.uid,
    version: 1,
    referenceCount: 0,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    createdBy: 'u1',
    updatedBy: 'u1',
    createdByUserName: 'Jane Doe',
    updatedByUserName: 'Jane Doe',
    ...overrides,
  };
}

const presets = [{ uid: 'COUNTRY', name: 'Country', description: '', __type: 'PRESET' }];

function server(routes: Parameters<typeof fakeServer>[0]) {
  return fakeServer({
    'GET /api/setup': () => json(200, { needsSetup: false }),
    'GET /api/user': () => json(200, aUser()),
    [`GET /api/projects/${project.uid}`]: () => json(200, project),
    'GET /api/attributes': () => json(200, presets),
    ...routes,
  });
}

describe('Audiences list', () => {
  it('pages and searches 1,000 audiences, rendering one page at a time', async () => {
    const audiences = Array.from({ length: 1000 }, (_, i) => anAudience(i));
    server({ 'GET /api/audiences': () => json(200, audiences) });
    renderAt(base);
    const user = userEvent.setup({ delay: null });

    // Role queries walk the whole DOM in jsdom; plain selectors keep this test about the page, not the query engine.
    const names = () => [...document.querySelectorAll('table[aria-label="Audiences"] tbody a')].map((a) => a.textContent);
    await waitFor(() => expect(names()).toHaveLength(25), { timeout: 10_000 });
    // Newest first; 25 rows of 1,000 in the DOM.
    expect(names()).toHaveLength(25);
    expect(names()[0]).toBe('Audience 0999');
    expect(screen.getByTestId('records-count').textContent).toBe('1 to 25 of 1000 records');

    await user.click(screen.getByLabelText('Search audiences'));
    await user.paste('tenth 99');
    await waitFor(() => expect(screen.getByTestId('records-count').textContent).toBe('1 to 1 of 1 records (1000 audiences in all)'));
    expect(names()).toEqual(['Audience 0990']);
  });

  it('sorts by name when the header is clicked', async () => {
    server({ 'GET /api/audiences': () => json(200, [anAudience(2, { name: 'Bravo' }), anAudience(1, { name: 'alpha' }), anAudience(3, { name: 'Charlie' })]) });
    renderAt(base);
    const user = userEvent.setup({ delay: null });
    const table = await screen.findByRole('table', { name: 'Audiences' });
    await within(table).findByRole('link', { name: 'Bravo' });
    await user.click(screen.getByRole('button', { name: 'Sort by Name' }));
    expect(within(table).getAllByRole('link').map((a) => a.textContent)).toEqual(['alpha', 'Bravo', 'Charlie']);
    await user.click(screen.getByRole('button', { name: 'Sort by Name' }));
    expect(within(table).getAllByRole('link').map((a) => a.textContent)).toEqual(['Charlie', 'Bravo', 'alpha']);
  });

  it('shows the empty state with + New Audience', async () => {
    server({ 'GET /api/audiences': () => json(200, []) });
    renderAt(base);
    expect(await screen.findByRole('heading', { name: 'No audiences yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'New Audience' }).getAttribute('href')).toBe(`${base}/new`);
  });
});

describe('Audience editor', () => {
  it('sends the loaded version and maps server 400 paths onto the rule rows', async () => {
    const audience = anAudience(7, { version: 4 });
    const srv = server({
      [`GET /api/audiences/${audience.uid}`]: () => json(200, audience),
      [`GET /api/audiences/${audience.uid}/references`]: () => json(200, []),
      [`PUT /api/audiences/${audience.uid}`]: () =>
        json(400, { errors: { 'definition.rules[0].attributeMatchOptions.value': ['Expected a country code such as "US", received "USA"'] } }),
    });
    renderAt(`${base}/${audience.uid}`);
    const user = userEvent.setup({ delay: null });

    const name = await screen.findByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, 'Renamed');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByTestId('rule-1-error')).toHaveProperty('textContent', 'Expected a country code such as "US", received "USA"');
    const put = srv.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({ name: 'Renamed', version: 4, definition: audience.definition });
    expect(put?.headers.get('x-project-uid')).toBe(project.uid);
  });

  it('refuses to save without a name and shows the live sentence summary', async () => {
    const srv = server({});
    renderAt(`${base}/new`);
    const user = userEvent.setup({ delay: null });
    await screen.findByRole('heading', { name: 'Untitled' });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Please enter an audience name')).toBeTruthy();
    expect(await screen.findByText('Select an attribute')).toBeTruthy();
    expect(srv.requests.some((r) => r.method === 'POST')).toBe(false);
    expect(screen.getByTestId('audience-summary').textContent).toBe('No complete rules yet.');
  });

  it('starts the test panel with an empty sample for an attribute keyed `constructor`', async () => {
    const attribute = {
      uid: 'a0a0a0a0a0a0a0a0a0a0a0a0',
      name: 'Builder',
      key: 'constructor',
      description: '',
      project: project.uid,
      __type: 'CUSTOM',
      version: 1,
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
      createdBy: 'u1',
      updatedBy: 'u1',
      createdByUserName: 'Jane Doe',
      updatedByUserName: 'Jane Doe',
    };
    const audience = anAudience(9, {
      definition: {
        __type: 'RuleCombination',
        combinationType: 'AND',
        rules: [
          {
            __type: 'Rule',
            attribute: { __type: 'CustomAttributeReference', ref: attribute.uid },
            attributeMatchCondition: 'STRING_EQUALS',
            attributeMatchOptions: { __type: 'StringMatchOptions', value: 'gold' },
            invertCondition: false,
          },
        ],
      },
    });
    server({
      'GET /api/attributes': () => json(200, [...presets, attribute]),
      [`GET /api/audiences/${audience.uid}`]: () => json(200, audience),
      [`GET /api/audiences/${audience.uid}/references`]: () => json(200, []),
      [`POST /api/audiences/${audience.uid}/impact`]: () => json(503, { error: 'personalize.X', message: 'later' }),
    });
    const consoleErrors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderAt(`${base}/${audience.uid}`);
    await userEvent.setup({ delay: null }).click(await screen.findByRole('button', { name: /Test this audience/ }));
    const input = (await screen.findByLabelText('Sample value for Builder')) as HTMLInputElement;
    expect(input.value).toBe('');
    // Reading `values.constructor` off a plain object handed React a function as the input's value.
    expect(consoleErrors.mock.calls.flat().join(' ')).not.toContain('Invalid value for prop');
    consoleErrors.mockRestore();
  });

  it('warms the impact preview of the saved audience on open, and the panel answers from it', async () => {
    const audience = anAudience(8, { version: 2 });
    const preview: ImpactPreview = {
      audienceUid: audience.uid,
      sampleSize: 3,
      available: 3,
      window: { from: '2026-01-01T09:00:00.000Z', to: '2026-01-01T10:00:00.000Z' },
      before: 1,
      after: 1,
      joined: 0,
      left: 0,
      unchanged: 3,
      experiences: [],
      examples: { joined: [], left: [] },
      partial: false,
      elapsedMs: 5,
    };
    const srv = server({
      [`GET /api/audiences/${audience.uid}`]: () => json(200, audience),
      [`GET /api/audiences/${audience.uid}/references`]: () => json(200, []),
      [`POST /api/audiences/${audience.uid}/impact`]: () => json(200, preview),
    });
    renderAt(`${base}/${audience.uid}`);
    const impactCalls = () => srv.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/impact'));
    await waitFor(() => expect(impactCalls()).toHaveLength(1));
    expect(impactCalls()[0]?.body).toEqual({ definition: audience.definition });

    await userEvent.setup({ delay: null }).click(screen.getByTestId('preview-impact-button'));
    expect((await screen.findByTestId('impact-sample')).textContent).toMatch(/Based on 3 recently seen visitors/);
    expect(impactCalls()).toHaveLength(1);
  });
});
