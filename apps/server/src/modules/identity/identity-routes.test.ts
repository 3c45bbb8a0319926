import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';

describe('identity routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('logs in with the Contentstack body and answers the authtoken', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/user-session',
      payload: { user: { email: 'OWNER@example.com', password: 'correct horse battery' } },
    });
    expect(res.statusCode).toBe(200);
    const body = json<{ notice: string; user: { email: string; authtoken: string } }>(res);
    expect(body.notice).toBe('Login Successful.');
    expect(body.user.email).toBe('owner@example.com');
    const me = await t.app.inject({ method: 'GET', url: '/api/user', headers: { authorization: `Bearer ${body.user.authtoken}` } });
    expect(me.statusCode).toBe(200);
    expect(json(me).orgRole).toBe('OWNER');
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'owner@example.com', password: 'nope' } } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'ghost@example.com', password: 'nope' } } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
  });

  it('requires the CSRF header on cookie-authenticated writes', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 'owner@example.com', password: 'correct horse battery' } } });
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const cookie = `tailor_session=${cookies.tailor_session}; tailor_csrf=${cookies.tailor_csrf}`;
    const without = await t.app.inject({ method: 'DELETE', url: '/api/user-session', headers: { cookie } });
    expect(without.statusCode).toBe(403);
    const withHeader = await t.app.inject({ method: 'DELETE', url: '/api/user-session', headers: { cookie, 'x-csrf-token': cookies.tailor_csrf ?? '' } });
    expect(withHeader.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/user', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('rejects malformed JSON and ill-typed fields with paths', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/api/user-session', headers: { 'content-type': 'application/json' }, payload: '{"user":' });
    expect(malformed.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(malformed).errors)).toEqual(['body']);
    const illTyped = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: { user: { email: 5 } } });
    expect(illTyped.statusCode).toBe(400);
    expect(Object.keys(json<{ errors: object }>(illTyped).errors).sort()).toEqual(['user.email', 'user.password']);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/user-session', payload: `{"x":"${'a'.repeat(1_100_000)}"}`, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
    expect(json(res).error).toBe('personalize.REQUEST.BODY_TOO_LARGE');
  });

  it('refuses an invalid explicit token with 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/user', headers: { authtoken: 'forged' } });
    expect(res.statusCode).toBe(401);
  });
});
