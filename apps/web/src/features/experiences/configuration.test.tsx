import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Experience, Version } from '@tailor/contract';
import type { Project } from '../../api/types';
import { fakeServer, json } from '../../test/fake-server';
import { aProject, aUser } from '../../test/fixtures';
import { renderAt } from '../../test/render';

vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const audit = { createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', createdBy: 'u1', updatedBy: 'u1', createdByUserName: 'Jane Doe', updatedByUserName: 'Jane Doe' };
const project = aProject();
const experienceUid = '0123456789abcdef01234567';
const versionUid = 'aaaaaaaaaaaaaaaaaaaaaaaa';

const experience: Experience = {
  uid: experienceUid,
  _id: experienceUid,
  name: 'Homepage hero',
  description: '',
  __type: 'SEGMENTED',
  shortUid: '0',
  status: 'DRAFT',
  latestVersion: versionUid,
  tags: [],
  referredAudiences: [],
  referredLyticsAudiences: [],
  priority: 1,
  activatedAt: null,
  activatedBy: null,
  activatedByUserName: null,
  project: project.uid,
  version: 1,
  ...audit,
};

const draft = (overrides: Partial<Version> = {}): Version => ({
  uid: versionUid,
  _id: versionUid,
  experienceUid,
  versionNumber: 1,
  status: 'DRAFT',
  variants: [{ __type: 'SegmentedVariant', shortUid: '0', name: 'Gold hero', audiences: ['bbbbbbbbbbbbbbbbbbbbbbbb'], lyticsAudiences: [], audienceCombinationType: 'OR' }],
  targeting: null,
  metrics: [],
  variantSplit: null,
  activatedAt: null,
  activatedBy: null,
  activatedByUserName: null,
  archivedAt: null,
  project: project.uid,
  version: 4,
  ...audit,
  ...overrides,
});

function serve(versions: () => Version[], put: Parameters<typeof fakeServer>[0][string], asProject: Project = project) {
  return fakeServer({
    'GET /api/setup': () => json(200, { needsSetup: false }),
    'GET /api/user': () => json(200, aUser()),
    [`GET /api/projects/${project.uid}`]: () => json(200, asProject),
    'GET /api/audiences': () => json(200, [{ uid: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Gold members', description: '' }]),
    'GET /api/events': () => json(200, []),
    [`GET /api/experiences/${experienceUid}`]: () => json(200, experience),
    [`GET /api/experiences/${experienceUid}/versions`]: () => json(200, versions()),
    [`PUT /api/experiences/${experienceUid}/versions/${versionUid}`]: put,
  });
}

const path = `/projects/${project.uid}/experiences/${experienceUid}/configuration`;

describe('experience configuration', () => {
  it('sends the version it edited; on a 409 it reloads the server copy and says so', async () => {
    let current = draft();
    const server = serve(
      () => [current],
      () => {
        // Someone else saved first: the server now holds version 5 with another name.
        current = draft({ version: 5, variants: [{ ...(draft().variants[0] as Version['variants'][number]), name: 'Their name' }] });
        return json(409, { error: 'personalize.EXPERIENCES.VERSIONS.VERSION_CONFLICT', message: 'Stale', current });
      },
    );
    renderAt(path);
    const user = userEvent.setup({ delay: null });
    const name = await screen.findByLabelText('Name of variant 1');
    await user.clear(name);
    await user.type(name, 'My name');
    await user.click(screen.getByRole('button', { name: 'Save Draft' }));

    expect(await screen.findByText(/Someone else changed this version/)).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Name of variant 1').value).toBe('Their name'));
    const sent = server.requests.find((r) => r.method === 'PUT');
    expect(sent?.body).toMatchObject({ status: 'DRAFT', version: 4, variants: [{ shortUid: '0', name: 'My name', audiences: ['bbbbbbbbbbbbbbbbbbbbbbbb'] }] });
  });

  it('activates only after the confirmation modal, and shows the locked version afterwards', async () => {
    let current = draft();
    const server = serve(
      () => [current],
      (req) => {
        current = draft({ status: 'ACTIVE', version: 5, activatedAt: '2026-03-02T00:00:00.000Z' });
        expect(req.body).toMatchObject({ status: 'ACTIVE', version: 4 });
        return json(200, current);
      },
    );
    renderAt(path);
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Activate Draft' }));
    const modal = await screen.findByRole('dialog', { name: 'Activate Draft' });
    expect(server.requests.some((r) => r.method === 'PUT')).toBe(false);
    await user.click(within(modal).getByRole('button', { name: 'Activate' }));

    expect(await screen.findByText('Version 1 is active and locked')).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Name of variant 1').readOnly).toBe(true);
    expect(screen.getByRole('button', { name: 'Pause Experience' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add Variant' })).toBeNull();
  });

  it('asks before leaving with unsaved edits; "Keep editing" keeps them and stays', async () => {
    serve(
      () => [draft()],
      () => json(500, {}),
    );
    const { router } = renderAt(path);
    const user = userEvent.setup({ delay: null });
    const name = await screen.findByLabelText('Name of variant 1');
    await user.type(name, ' (new)');
    await user.click(screen.getByRole('link', { name: 'Overview' }));

    const modal = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    await user.click(within(modal).getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Discard unsaved changes?' })).toBeNull());
    expect(router.state.location.pathname).toBe(path);
    expect(screen.getByLabelText<HTMLInputElement>('Name of variant 1').value).toBe('Gold hero (new)');

    await user.click(screen.getByRole('link', { name: 'Overview' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).getByRole('button', { name: 'Discard changes' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(path.replace('configuration', 'overview')));
  });

  it('shows a draft read-only, with a notice, to a user the project lets only read', async () => {
    serve(
      () => [draft()],
      () => json(500, {}),
      aProject({ currentUserRole: null, canManage: false }),
    );
    renderAt(path);
    expect(await screen.findByText(/read-only access/)).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Name of variant 1').readOnly).toBe(true);
    for (const name of ['Save Draft', 'Activate Draft', 'Discard Draft', 'Add Variant']) expect(screen.queryByRole('button', { name })).toBeNull();
  });
});
