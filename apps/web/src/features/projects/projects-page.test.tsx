import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeServer, json } from '../../test/fake-server';
import { aProject, aUser } from '../../test/fixtures';
import { renderAt } from '../../test/render';

// Whole-app renders with typing take seconds on a busy CI machine.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const projects = [
  aProject({ uid: '65f0c0ffee0000000000aa01', name: 'Storefront', description: 'Shop pages' }),
  aProject({ uid: '65f0c0ffee0000000000aa02', name: 'Docs', description: 'Onboarding', userCount: 1 }),
];

describe('Personalize Projects page', () => {
  it('filters the cards with the search box', async () => {
    fakeServer({
      'GET /api/setup': () => json(200, { needsSetup: false }),
      'GET /api/user': () => json(200, aUser()),
      'GET /api/projects': () => json(200, projects),
    });
    renderAt('/');
    const user = userEvent.setup({ delay: null });

    await screen.findByRole('link', { name: 'Storefront' });
    expect(screen.getByText('1 User')).toBeTruthy();
    await user.type(screen.getByLabelText('Search projects'), 'onboard');
    expect(screen.queryByRole('link', { name: 'Storefront' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Docs' })).toBeTruthy();
  });

  it('creates a project and opens it', async () => {
    const created = aProject({ uid: '65f0c0ffee0000000000aa03', name: 'New one' });
    const server = fakeServer({
      'GET /api/setup': () => json(200, { needsSetup: false }),
      'GET /api/user': () => json(200, aUser()),
      'GET /api/projects': () => json(200, []),
      'POST /api/projects': () => json(201, created),
      [`GET /api/projects/${created.uid}`]: () => json(200, created),
    });
    const { router } = renderAt('/');
    const user = userEvent.setup({ delay: null });

    await user.click(await screen.findByRole('button', { name: 'New Personalize Project' }));
    await user.type(await screen.findByLabelText(/^Name/), 'New one');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/projects/${created.uid}/experiences`));
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ name: 'New one', description: '' });
    expect(await screen.findByText('Project created successfully')).toBeTruthy();
  });

  it('hides project creation from organization Members', async () => {
    fakeServer({
      'GET /api/setup': () => json(200, { needsSetup: false }),
      'GET /api/user': () => json(200, aUser({ orgRole: 'MEMBER' })),
      'GET /api/projects': () => json(200, []),
    });
    renderAt('/');
    expect(await screen.findByText(/You are not part of any project yet/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New Personalize Project' })).toBeNull();
  });
});
