import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../test/test-app.js';

const CREDENTIALS = JSON.stringify({ user: { email: 'owner@example.com', password: 'correct horse battery' } });

describe('writes a browser could be tricked into sending', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (headers: Record<string, string>, payload = CREDENTIALS) =>
    t.app.inject({ method: 'POST', url: '/api/user-session', headers: { host: 'tailor.example', ...headers }, payload });

  it('refuses a cross-site text/plain form posting credentials to the log-in (login CSRF)', async () => {
    const form = await login({ 'content-type': 'text/plain', origin: 'https://evil.example' });
    expect(form.statusCode).toBe(403);
    expect(json(form)).toMatchObject({ error: 'personalize.AUTH.CSRF' });
    expect(form.cookies).toEqual([]);
    // The same form without any origin header is refused for its body type alone.
    expect((await login({ 'content-type': 'text/plain' })).statusCode).toBe(403);
    expect((await login({ 'content-type': 'application/x-www-form-urlencoded' }, 'user=x')).statusCode).toBe(403);
    expect((await login({ 'content-type': 'multipart/form-data; boundary=x' }, '--x--')).statusCode).toBe(403);
  });

  it('refuses JSON sent from another site, by Sec-Fetch-Site or else by Origin', async () => {
    expect((await login({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await login({ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect((await login({ 'content-type': 'application/json', origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await login({ 'content-type': 'application/json', origin: 'null' })).statusCode).toBe(403);
  });

  it('accepts the console (same-origin JSON) and scripts and the CLI (JSON, no browser headers)', async () => {
    expect((await login({ 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', origin: 'http://tailor.example' })).statusCode).toBe(200);
    expect((await login({ 'content-type': 'application/json', origin: 'http://tailor.example' })).statusCode).toBe(200);
    expect((await login({ 'content-type': 'application/json; charset=utf-8' })).statusCode).toBe(200);
  });

  it('applies the same rule to cookie-authenticated writes, on top of the CSRF header', async () => {
    const session = await login({ 'content-type': 'application/json' });
    const cookies = Object.fromEntries(session.cookies.map((c) => [c.name, c.value]));
    const write = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/projects',
        cookies,
        headers: { host: 'tailor.example', 'x-csrf-token': cookies.tailor_csrf ?? '', ...headers },
        payload: JSON.stringify({ name: 'From a form' }),
      });
    expect((await write({ 'content-type': 'text/plain' })).statusCode).toBe(403);
    expect((await write({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await write({ 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    // Token-header clients (the CLI, scripts) keep sending whatever Content-Type they send.
    const byToken = await t.app.inject({ method: 'POST', url: '/api/projects', headers: { ...t.owner.headers, 'content-type': 'text/plain' }, payload: JSON.stringify({ name: 'By token' }) });
    expect(byToken.statusCode).toBe(201);
  });
});
