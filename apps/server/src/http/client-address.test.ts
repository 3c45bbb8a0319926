import { afterEach, describe, expect, it } from 'vitest';
import { listRecentVisitors } from '../modules/visitors/index.js';
import { createTestApp, json, type TestApp } from '../test/test-app.js';
import { createTestProject, type TestProject } from '../test/test-project.js';

// What light-my-request reports as the peer unless a test says otherwise.
const PEER = '127.0.0.1';
const GOOGLE_DNS = '8.8.8.8'; // DB-IP: US, California, Mountain View

interface Seen {
  address: string;
  country: string | undefined;
}

/**
 * One client address decides everything that reads it: the edge's geo presets (seen in the
 * recent-visitor record), the audit log, and failed-login limits.
 */
describe('the client address, with and without trusted proxies', () => {
  let t: TestApp;
  let project: TestProject;
  afterEach(async () => t.close());

  async function start(env: Record<string, string>) {
    t = await createTestApp({ env });
    project = await createTestProject(t);
  }

  /** Sends the headers to the edge and to the Management API and reports what each saw. */
  async function seenWith(headers: Record<string, string>, remoteAddress = PEER): Promise<Seen> {
    const visitor = `v-${Math.random().toString(36).slice(2)}`;
    const manifest = await t.app.inject({
      method: 'GET',
      url: '/edge/manifest',
      remoteAddress,
      headers: { 'x-project-uid': project.uid, 'x-cs-personalize-user-uid': visitor, ...headers },
    });
    expect(manifest.statusCode).toBe(200);
    await t.app.services.recentVisitors.flush();
    const record = (await listRecentVisitors(t.db, project.uid, 100)).find((v) => v.visitorUid === visitor);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/events',
      remoteAddress,
      headers: { ...project.headersFor(t.owner), ...headers },
      payload: { key: visitor.replace(/[^a-z0-9]/g, '_') },
    });
    expect(created.statusCode).toBe(201);
    const audit = json<Array<{ actorAddress: string | null }>>(
      await t.app.inject({ method: 'GET', url: '/api/audit-log?limit=1', headers: project.headersFor(t.owner) }),
    );
    const country = record?.presets.COUNTRY;
    return { address: audit[0]?.actorAddress ?? 'none', country: typeof country === 'string' ? country : undefined };
  }

  it('trusts nobody by default: a forged X-Forwarded-For changes nothing', async () => {
    await start({});
    expect(await seenWith({})).toEqual({ address: PEER, country: undefined });
    expect(await seenWith({ 'x-forwarded-for': GOOGLE_DNS })).toEqual({ address: PEER, country: undefined });
    expect(await seenWith({ forwarded: `for=${GOOGLE_DNS}` })).toEqual({ address: PEER, country: undefined });
    // From a public peer the geo is the peer's own.
    expect(await seenWith({ 'x-forwarded-for': '192.168.1.4' }, GOOGLE_DNS)).toEqual({ address: GOOGLE_DNS, country: 'US' });
  });

  it('with a hop count, takes the address the nearest trusted proxies appended', async () => {
    await start({ TRUST_PROXY: '1' });
    // The client forged 1.2.3.4; our one proxy appended the address it saw.
    expect(await seenWith({ 'x-forwarded-for': `1.2.3.4, ${GOOGLE_DNS}` })).toEqual({ address: GOOGLE_DNS, country: 'US' });
    expect(await seenWith({})).toEqual({ address: PEER, country: undefined });
  });

  it('with a list of CIDRs, walks back through trusted hops only', async () => {
    await start({ TRUST_PROXY: '127.0.0.0/8, 10.0.0.0/8' });
    expect(await seenWith({ 'x-forwarded-for': `1.2.3.4, ${GOOGLE_DNS}, 10.1.2.3` })).toEqual({ address: GOOGLE_DNS, country: 'US' });
    // A peer outside the list is the client, whatever it forwards.
    expect(await seenWith({ 'x-forwarded-for': '1.2.3.4' }, '192.0.2.7')).toEqual({ address: '192.0.2.7', country: undefined });
  });

  it('ignores X-Forwarded-For from a peer that is not in the list', async () => {
    await start({ TRUST_PROXY: '10.0.0.0/8' });
    expect(await seenWith({ 'x-forwarded-for': GOOGLE_DNS })).toEqual({ address: PEER, country: undefined });
  });

  it("takes a CDN's country header from a trusted proxy only", async () => {
    await start({ TRUST_PROXY: '10.0.0.0/8', GEO_COUNTRY_HEADER: 'cf-ipcountry' });
    expect((await seenWith({ 'cf-ipcountry': 'DE', 'x-forwarded-for': GOOGLE_DNS }, '10.0.0.5')).country).toBe('DE');
    expect((await seenWith({ 'cf-ipcountry': 'XX', 'x-forwarded-for': GOOGLE_DNS }, '10.0.0.5')).country).toBe('US');
    expect((await seenWith({ 'cf-ipcountry': 'not a country', 'x-forwarded-for': GOOGLE_DNS }, '10.0.0.5')).country).toBe('US');
    // From an untrusted peer, neither header counts.
    expect((await seenWith({ 'cf-ipcountry': 'DE', 'x-forwarded-for': GOOGLE_DNS })).country).toBeUndefined();
  });

  it('counts failed log-ins against the client address, not the proxy and not a forged one', async () => {
    const attempt = (forwardedFor: string, password = 'wrong password') =>
      t.app.inject({
        method: 'POST',
        url: '/api/user-session',
        headers: { 'x-forwarded-for': forwardedFor },
        payload: { user: { email: 'owner@example.com', password } },
      });
    await start({ TRUST_PROXY: 'loopback', LOGIN_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i += 1) expect((await attempt('203.0.113.1')).statusCode).toBe(401);
    expect((await attempt('203.0.113.1', 'correct horse battery')).statusCode).toBe(429);
    // Behind the same proxy, another client is not locked out.
    expect((await attempt('203.0.113.2', 'correct horse battery')).statusCode).toBe(200);
    await t.close();

    await start({ LOGIN_RATE_LIMIT: '3' });
    // Untrusted: rotating forged addresses does not escape the limit.
    for (let i = 0; i < 3; i += 1) expect((await attempt(`198.51.100.${i}`)).statusCode).toBe(401);
    expect((await attempt('198.51.100.99', 'correct horse battery')).statusCode).toBe(429);
  });
});
