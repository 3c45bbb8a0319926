import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeServer, json } from '../../test/fake-server';
import { aProject, aProjectUser, aUser } from '../../test/fixtures';
import { renderAt } from '../../test/render';

// Whole-app renders with typing take seconds on a busy CI machine.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function serve(project = aProject(), extra: Parameters<typeof fakeServer>[0] = {}) {
  return fakeServer({
    ...extra,
    'GET /api/setup': () => json(200, { needsSetup: false }),
    'GET /api/user': () => json(200, aUser()),
    'GET /api/projects': () => json(200, []),
    [`GET /api/projects/${project.uid}`]: () => json(200, project),
    [`PUT /api/projects/${project.uid}`]: (req) => json(200, { ...project, ...(req.body as object) }),
    [`DELETE /api/projects/${project.uid}`]: () => new Response(null, { status: 204 }),
    [`GET /api/projects/${project.uid}/users`]: () =>
      json(200, [aProjectUser(), aProjectUser({ uid: 'inv1', userUid: null, name: null, email: 'new@example.com', status: 'PENDING', role: 'MEMBER', invitedBy: 'Jane Doe', invitationUrl: null })]),
  });
}

describe('Settings → General', () => {
  it('enables Delete only once DELETE is typed exactly, then deletes and goes home', async () => {
    const project = aProject();
    const server = serve(project);
    const { router } = renderAt(`/projects/${project.uid}/settings/general`);
    const user = userEvent.setup({ delay: null });

    await user.click(await screen.findByRole('button', { name: 'Delete Project' }));
    const confirm = await screen.findByLabelText('Type DELETE to confirm');
    const deleteButton = screen.getByRole('button', { name: 'Delete' });
    expect(deleteButton).toHaveProperty('disabled', true);

    await user.type(confirm, 'delete');
    expect(deleteButton).toHaveProperty('disabled', true);
    await user.clear(confirm);
    await user.type(confirm, 'DELETE');
    expect(deleteButton).toHaveProperty('disabled', false);

    await user.click(deleteButton);
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === `/api/projects/${project.uid}`)).toBe(true);
    expect(await screen.findByText('Project deleted successfully')).toBeTruthy();
  });

  it('saves the details and confirms with a toast', async () => {
    const project = aProject();
    const server = serve(project);
    renderAt(`/projects/${project.uid}/settings/general`);
    const user = userEvent.setup({ delay: null });

    const name = await screen.findByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, 'Storefront EU');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Project updated successfully')).toBeTruthy();
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({ name: 'Storefront EU', description: project.description });
  });

  it('is read-only for project Members', async () => {
    const project = aProject({ canManage: false, currentUserRole: 'MEMBER' });
    serve(project);
    renderAt(`/projects/${project.uid}/settings/general`);

    expect(await screen.findByText(/Only project Owners can change settings/)).toBeTruthy();
    expect(screen.getByLabelText(/^Name/)).toHaveProperty('disabled', true);
    expect(screen.getByLabelText(/^Description/)).toHaveProperty('disabled', true);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Project' })).toBeNull();
  });
});

describe('Settings → Users', () => {
  it('lists users with their status and offers no actions to Members', async () => {
    const project = aProject({ canManage: false, currentUserRole: 'MEMBER' });
    serve(project);
    renderAt(`/projects/${project.uid}/settings/users`);

    expect(await screen.findByText('new@example.com')).toBeTruthy();
    expect(screen.getByText('Pending')).toBeTruthy();
    expect(screen.getByText('Accepted')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Invite User' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Actions' })).toBeNull();
  });
});

describe('Settings → Users → New invitation link', () => {
  it('replaces a pending invitation\'s link after confirmation and shows the new one once', async () => {
    const project = aProject();
    const reissued = aProjectUser({ uid: 'inv1', userUid: null, name: null, email: 'new@example.com', status: 'PENDING', role: 'MEMBER', invitationUrl: '/invitations/fresh' });
    const server = serve(project, { [`POST /api/projects/${project.uid}/invitations/inv1/link`]: () => json(201, reissued) });
    renderAt(`/projects/${project.uid}/settings/users`);
    const user = userEvent.setup({ delay: null });

    const row = await screen.findByRole('row', { name: /new@example\.com/ });
    await user.click(within(row).getByRole('button', { name: 'Actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'New invitation link' }));
    expect(await screen.findByText(/The link you shared before stops working/)).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(await screen.findByText(`${window.location.origin}/invitations/fresh`)).toBeTruthy();
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`/api/projects/${project.uid}/invitations/inv1/link`]);
  });
});

describe('Invite User', () => {
  it('refuses invalid addresses, invites the typed ones and shows links to share', async () => {
    const project = aProject();
    const invited = aProjectUser({ uid: 'inv2', userUid: null, name: null, email: 'bob@example.com', status: 'PENDING', role: 'MEMBER', invitationUrl: '/invitations/t2' });
    const server = serve(project, { [`POST /api/projects/${project.uid}/invitations`]: () => json(201, [invited]) });
    renderAt(`/projects/${project.uid}/settings/users`);
    const user = userEvent.setup({ delay: null });

    await user.click(await screen.findByRole('button', { name: 'Invite User' }));
    const emails = await screen.findByRole('textbox', { name: /^Email Addresses/ });
    expect(screen.getAllByLabelText(/^Email Addresses/)).toHaveLength(1);
    await user.type(emails, 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText(/Not a valid email address: not-an-email/)).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);

    // The invalid address stays as a pill to correct; Backspace in the empty input removes it.
    await user.click(emails);
    await user.keyboard('{Backspace}');
    await user.type(emails, 'bob@example.com');
    await user.click(screen.getByRole('button', { name: 'Invite' }));

    expect(await screen.findByText(`${window.location.origin}/invitations/t2`)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy invitation link for bob@example.com' })).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ emails: ['bob@example.com'], role: 'MEMBER' });
  });
});
