import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeServer, json } from '../test/fake-server';
import { aProject, aUser } from '../test/fixtures';
import { renderAt } from '../test/render';

// Whole-app renders with typing take seconds on a busy CI machine.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('authentication flow', () => {
  it('sends a logged-out visitor to login and back to the page they asked for', async () => {
    const project = aProject();
    let loggedIn = false;
    fakeServer({
      'GET /api/setup': () => json(200, { needsSetup: false }),
      'GET /api/user': () => (loggedIn ? json(200, aUser()) : json(401, { error: 'personalize.AUTH.UNAUTHENTICATED', message: 'Log in' })),
      'POST /api/user-session': (req) => {
        const { user } = req.body as { user: { password: string } };
        if (user.password !== 'correct horse') {
          return json(401, { error: 'personalize.AUTH.INVALID_CREDENTIALS', message: 'Invalid email or password.' });
        }
        loggedIn = true;
        return json(200, { notice: 'Login Successful.', user: { ...aUser(), authtoken: 't' } });
      },
      [`GET /api/projects/${project.uid}`]: () => json(200, project),
    });
    const { router } = renderAt(`/projects/${project.uid}/settings/general`);

    await screen.findByRole('button', { name: 'Log in' });
    expect(router.state.location.pathname).toBe('/login');

    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText(/^Email/), 'jane@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Invalid email or password.');

    await user.clear(screen.getByLabelText(/^Password/));
    await user.type(screen.getByLabelText(/^Password/), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    await screen.findByRole('heading', { name: 'Project Details' });
    expect(router.state.location.pathname).toBe(`/projects/${project.uid}/settings/general`);
  });

  it('creates the owner on first run and logs them in', async () => {
    let needsSetup = true;
    const server = fakeServer({
      'GET /api/setup': () => json(200, { needsSetup }),
      'GET /api/user': () => (needsSetup ? json(401, {}) : json(200, aUser())),
      'GET /api/projects': () => json(200, []),
      'POST /api/setup': () => {
        needsSetup = false;
        return json(200, { notice: 'Login Successful.', user: { ...aUser(), authtoken: 't' } });
      },
    });
    const { router } = renderAt('/');
    await screen.findByRole('heading', { name: 'Create the owner account' });
    expect(router.state.location.pathname).toBe('/setup');

    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText(/^First name/), 'Jane');
    await user.type(screen.getByLabelText(/^Last name/), 'Doe');
    await user.type(screen.getByLabelText(/^Email/), 'jane@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.type(screen.getByLabelText(/^Organization name/), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('Use at least 8 characters')).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);

    await user.type(screen.getByLabelText(/^Password/), '-but-now-long');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await screen.findByRole('heading', { name: 'Personalize Projects' });
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      organizationName: 'Acme',
      user: { email: 'jane@example.com', password: 'short-but-now-long', firstName: 'Jane', lastName: 'Doe' },
    });
  });

  it('returns to login when a request finds the session gone', async () => {
    let sessionAlive = true;
    fakeServer({
      'GET /api/setup': () => json(200, { needsSetup: false }),
      'GET /api/user': () => (sessionAlive ? json(200, aUser()) : json(401, {})),
      'GET /api/projects': () => {
        sessionAlive = false;
        return json(401, { error: 'personalize.AUTH.UNAUTHENTICATED', message: 'Log in' });
      },
    });
    const { router } = renderAt('/');
    await screen.findByRole('button', { name: 'Log in' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
  });
});

describe('logout', () => {
  it('ends the session and shows a plain login page', async () => {
    const server = fakeServer({
      'GET /api/setup': () => json(200, { needsSetup: false }),
      'GET /api/user': () => json(200, aUser()),
      'GET /api/projects': () => json(200, []),
      'DELETE /api/user-session': () => new Response(null, { status: 204 }),
    });
    const { router } = renderAt('/api-reference');
    const user = userEvent.setup({ delay: null });

    await user.click(await screen.findByRole('button', { name: 'User menu' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Log out' }));

    await screen.findByRole('button', { name: 'Log in' });
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === '/api/user-session')).toBe(true);
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/login'));

    // The user is forgotten, not just hidden: protected pages send back to login.
    await router.navigate('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
  });
});
