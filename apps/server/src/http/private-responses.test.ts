import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../test/test-app.js';

const CREDENTIALS = { user: { email: 'owner@example.com', password: 'correct horse battery' } };

describe('private answers, cookies over TLS, and framework errors', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('marks every Management API answer no-store, the log-in, errors and lists included', async () => {
    t = await createTestApp();
    const answers = [
      await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers }),
      await t.app.inject({ method: 'GET', url: '/api/user', headers: t.owner.headers }),
      await t.app.inject({ method: 'POST', url: '/api/user-session', payload: CREDENTIALS }),
      await t.app.inject({ method: 'GET', url: '/api/projects', headers: { authtoken: 'nope' } }),
    ];
    expect(answers.map((a) => [a.statusCode, a.headers['cache-control']])).toEqual([
      [200, 'no-store'],
      [200, 'no-store'],
      [200, 'no-store'],
      [401, 'no-store'],
    ]);
  });

  it('sets Secure cookies when a trusted proxy says the request came over https, and only then', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    const secureFlags = async (remoteAddress: string, headers: Record<string, string>) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/user-session', remoteAddress, headers, payload: CREDENTIALS });
      expect(res.statusCode).toBe(200);
      return res.cookies.map((c) => [c.name, c.secure === true]);
    };
    expect(await secureFlags('127.0.0.1', { 'x-forwarded-proto': 'https' })).toEqual([
      ['tailor_session', true],
      ['tailor_csrf', true],
      ['tailor_device', true],
    ]);
    expect((await secureFlags('127.0.0.1', {})).every(([, secure]) => secure === false)).toBe(true);
    // From a peer that is not trusted, the header is a claim anyone can make.
    expect((await secureFlags('203.0.113.7', { 'x-forwarded-proto': 'https' })).every(([, secure]) => secure === false)).toBe(true);
  });

  it('answers an over-long path segment 414 and an undecodable path 400, in Tailor\'s error shape', async () => {
    t = await createTestApp();
    const long = await t.app.inject({ method: 'GET', url: `/api/projects/${'a'.repeat(300)}`, headers: t.owner.headers });
    expect(long.statusCode).toBe(414);
    expect(json(long)).toEqual({ error: 'personalize.REQUEST.URI_TOO_LONG', message: expect.stringContaining('200 characters') });
    expect(long.body).not.toContain('FST_');
    const bad = await t.app.inject({ method: 'GET', url: '/api/projects/%zz', headers: t.owner.headers });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toEqual({ errors: { url: [expect.stringContaining('percent-escape')] } });
  });

  it('answers requests the HTTP parser rejects in Tailor\'s error shape too', async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
        let out = '';
        socket.on('data', (chunk) => (out += chunk.toString()));
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
      });
    const oversized = await raw(`GET /api/projects HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(oversized).toMatch(/^HTTP\/1\.1 431 /);
    expect(oversized).toContain('"error":"personalize.REQUEST.HEADERS_TOO_LARGE"');
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('"error":"personalize.BAD_REQUEST"');
  });
});
