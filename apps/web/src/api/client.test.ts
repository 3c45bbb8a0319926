import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json } from '../test/fake-server';
import { ApiError } from './api-error';
import { api, readCookie } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'tailor_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('api client', () => {
  it('sends the CSRF cookie value as x-csrf-token on writes, read at request time', async () => {
    const server = fakeServer({ 'POST /api/projects': () => json(201, { uid: 'p1' }), 'GET /api/projects': () => json(200, []) });
    document.cookie = 'other=1';
    document.cookie = 'tailor_csrf=first';
    await api.post('/api/projects', { name: 'A' });
    document.cookie = 'tailor_csrf=rotated%3D';
    await api.post('/api/projects', { name: 'B' });
    await api.get('/api/projects');

    expect(server.requests.map((r) => r.headers.get('x-csrf-token'))).toEqual(['first', 'rotated=', null]);
    expect(server.requests.every((r) => r.credentials === 'same-origin')).toBe(true);
    expect(server.requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(server.requests[0]?.body).toEqual({ name: 'A' });
  });

  it('returns undefined for 204 and parsed JSON otherwise', async () => {
    fakeServer({ 'DELETE /api/projects/p1': () => new Response(null, { status: 204 }), 'GET /api/setup': () => json(200, { needsSetup: false }) });
    await expect(api.delete('/api/projects/p1')).resolves.toBeUndefined();
    await expect(api.get('/api/setup')).resolves.toEqual({ needsSetup: false });
  });

  it('turns a business error into an ApiError with its code and message', async () => {
    fakeServer({
      'POST /api/projects': () =>
        json(409, { error: 'personalize.PROJECTS.DUPLICATE_NAME', message: 'A project named "Shop" already exists.' }),
    });
    const error = await failure(api.post('/api/projects', { name: 'Shop' }));
    expect(error.status).toBe(409);
    expect(error.code).toBe('personalize.PROJECTS.DUPLICATE_NAME');
    expect(error.message).toBe('A project named "Shop" already exists.');
  });

  it('keeps validation errors per path and summarises them as the message', async () => {
    fakeServer({
      'POST /api/setup': () => json(400, { errors: { 'user.email': ['Expected an email address, received "x"'], name: ['Required'] } }),
    });
    const error = await failure(api.post('/api/setup', {}));
    expect(error.fieldError('user.email')).toBe('Expected an email address, received "x"');
    expect(error.fieldError('name')).toBe('Required');
    expect(error.fieldError('organizationName')).toBeUndefined();
    expect(error.message).toBe('user.email: Expected an email address, received "x"; name: Required');
  });

  it('keeps error paths named like Object members as plain paths', async () => {
    const body = '{"errors":{"__proto__":["a"],"constructor":["b"]}}';
    fakeServer({ 'POST /api/things': () => new Response(body, { status: 400, headers: { 'content-type': 'application/json' } }) });
    const error = await failure(api.post('/api/things', {}));
    expect(Object.keys(error.fieldErrors)).toEqual(['__proto__', 'constructor']);
    expect(error.fieldError('__proto__')).toBe('a');
    expect(error.fieldError('constructor')).toBe('b');
    expect(error.fieldError('toString')).toBeUndefined();
  });

  it('says how long to wait when rate limited', async () => {
    fakeServer({ 'POST /api/user-session': () => json(429, { error: 'personalize.AUTH.RATE_LIMITED', message: 'Slow down' }, { 'retry-after': '42' }) });
    const error = await failure(api.post('/api/user-session', {}));
    expect(error.message).toBe('Too many attempts, try again in 42 s');
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('words a 403 the same way whatever the server said', async () => {
    fakeServer({ 'PUT /api/projects/p1': () => json(403, { error: 'personalize.AUTH.FORBIDDEN', message: 'Forbidden' }) });
    const error = await failure(api.put('/api/projects/p1', {}));
    expect(error.message).toBe("You don't have access");
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    const error = await failure(api.get('/api/user'));
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/Cannot reach/);
  });
});

describe('readCookie', () => {
  it('finds a cookie by exact name', () => {
    expect(readCookie('tailor_csrf', 'x_tailor_csrf=no; tailor_csrf=yes; b=2')).toBe('yes');
    expect(readCookie('tailor_csrf', 'a=1')).toBeUndefined();
  });
});
