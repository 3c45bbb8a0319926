import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json } from '../test/fake-server';
import { blockingReferences, conflictCurrent, projectApi } from './project-api';

afterEach(() => vi.unstubAllGlobals());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('project api', () => {
  it('names the project in x-project-uid on every verb', async () => {
    const server = fakeServer({
      'GET /api/audiences': () => json(200, []),
      'POST /api/audiences': () => json(201, { uid: 'a1' }),
      'DELETE /api/audiences/a1': () => new Response(null, { status: 204 }),
    });
    const api = projectApi('p1');
    await api.get('/api/audiences');
    await api.post('/api/audiences', { name: 'Gold' });
    await api.delete('/api/audiences/a1');
    expect(server.requests.map((r) => r.headers.get('x-project-uid'))).toEqual(['p1', 'p1', 'p1']);
  });

  it('reads the server copy of a version conflict and the references of a 409', async () => {
    fakeServer({
      'PUT /api/audiences/a1': () => json(409, { error: 'personalize.AUDIENCES.VERSION_CONFLICT', message: 'Changed by someone else', current: { uid: 'a1', version: 3 } }),
      'DELETE /api/audiences/a1': () => json(409, { error: 'personalize.AUDIENCES.REFERENCED', message: 'In use', references: [{ experienceUid: 'e1' }] }),
    });
    const api = projectApi('p1');
    const conflict = await rejection(api.put('/api/audiences/a1', {}));
    expect(conflictCurrent(conflict)).toEqual({ uid: 'a1', version: 3 });
    expect(blockingReferences(conflict)).toBeUndefined();
    const referenced = await rejection(api.delete('/api/audiences/a1'));
    expect(blockingReferences(referenced)).toEqual([{ experienceUid: 'e1' }]);
    expect(conflictCurrent(referenced)).toBeUndefined();
  });
});
