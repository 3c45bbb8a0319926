import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import { createTestProject } from '../../test/test-project.js';

const PASSWORD = 'correct horse battery';

describe('failed-login limits', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await t.createUser('MEMBER', 'alice@example.com');
    await t.createUser('MEMBER', 'bob@example.com');
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (email: string, password: string, remoteAddress: string, cookies: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/user-session', remoteAddress, cookies, payload: { user: { email, password } } });

  async function fail(times: number, email: (i: number) => string, address: string) {
    const answers = await Promise.all(Array.from({ length: times }, (_, i) => login(email(i), 'wrong password', address)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: times }, () => 401));
  }

  it('ten wrong passwords lock that account from that address only: others at the address and the account elsewhere still log in', async () => {
    await fail(10, () => 'alice@example.com', '10.0.0.1');
    const locked = await login('Alice@Example.com', PASSWORD, '10.0.0.1');
    expect(locked.statusCode).toBe(429);
    expect(json(locked)).toMatchObject({ error: 'personalize.AUTH.TOO_MANY_ATTEMPTS' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);

    expect((await login('bob@example.com', PASSWORD, '10.0.0.1')).statusCode).toBe(200);
    expect((await login('alice@example.com', PASSWORD, '10.0.0.2')).statusCode).toBe(200);

    t.clock.advance(15 * 60 * 1000);
    expect((await login('alice@example.com', PASSWORD, '10.0.0.1')).statusCode).toBe(200);
  });

  it('an address spraying many accounts is stopped, but a browser that logged in before is not locked out', async () => {
    const known = await login('bob@example.com', PASSWORD, '10.0.0.3');
    const device = known.cookies.find((c) => c.name === 'tailor_device');
    expect(device).toMatchObject({ httpOnly: true, path: '/api', sameSite: 'Strict' });

    await fail(100, (i) => `nobody${i}@example.com`, '10.0.0.3');
    expect((await login('carol@example.com', 'guess', '10.0.0.3')).statusCode).toBe(429);
    // Without its cookie, bob's own browser is just another client of that address.
    expect((await login('bob@example.com', PASSWORD, '10.0.0.3')).statusCode).toBe(429);
    expect((await login('bob@example.com', PASSWORD, '10.0.0.3', { tailor_device: device?.value ?? '' })).statusCode).toBe(200);
    // The cookie vouches for bob only.
    expect((await login('alice@example.com', PASSWORD, '10.0.0.3', { tailor_device: device?.value ?? '' })).statusCode).toBe(429);
  });

  it('applies the same limits to the CLI log-in and to accepting an invitation with an existing account', async () => {
    await fail(10, () => 'alice@example.com', '10.0.0.4');
    const cli = await t.app.inject({ method: 'POST', url: '/v3/user-session', remoteAddress: '10.0.0.4', payload: { user: { email: 'alice@example.com', password: PASSWORD } } });
    expect(cli.statusCode).toBe(429);

    const project = await createTestProject(t);
    const invited = await t.app.inject({ method: 'POST', url: `/api/projects/${project.uid}/invitations`, headers: t.owner.headers, payload: { emails: ['alice@example.com'] } });
    const token = json<Array<{ invitationUrl: string }>>(invited)[0]?.invitationUrl.split('/').pop() ?? '';
    const accept = (remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, remoteAddress, payload: { user: { password: PASSWORD } } });
    expect((await accept('10.0.0.4')).statusCode).toBe(429);
    expect((await accept('10.0.0.6')).statusCode).toBe(200);
  });

  it('keeps only the digest of a known-device cookie', async () => {
    const res = await login('alice@example.com', PASSWORD, '10.0.0.5');
    const device = res.cookies.find((c) => c.name === 'tailor_device')?.value ?? '';
    expect(device.length).toBeGreaterThan(30);
    const stored = JSON.stringify(await t.db.kysely.selectFrom('known_devices').selectAll().execute());
    expect(stored).not.toContain(device);
    // The browser stays known: logging in again with its cookie issues no new one.
    const devices = async () => (await t.db.kysely.selectFrom('known_devices').select('token_hash').execute()).length;
    const before = await devices();
    const again = await login('alice@example.com', PASSWORD, '10.0.0.5', { tailor_device: device });
    expect(again.statusCode).toBe(200);
    expect(again.cookies.map((c) => c.name)).not.toContain('tailor_device');
    expect(await devices()).toBe(before);
  });
});
