import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/create-db.js';
import { systemClock } from '../shared/clock.js';
import { ADMIN, startServer, type ServerProcess } from '../test/server-process.js';
import { createTestDb, isPostgresRun } from '../test/test-db.js';

const hasRedis = spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
const PASSWORD = 'correct horse battery';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const answersPing = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('connect', () => socket.write('PING\r\n'));
  });

/** A throwaway redis-server, not persisted, on a free port. */
function redisServer(dir: string, port: number) {
  const pidFile = path.join(dir, 'redis.pid');
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidFile, '--dir', dir, '--logfile', path.join(dir, 'redis.log')]);
      await until('redis-server to answer', () => answersPing(port));
    },
    /** As an outage looks to Tailor: the process gone without a goodbye. */
    async kill() {
      if (!fs.existsSync(pidFile)) return;
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      fs.rmSync(pidFile);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
      await until('redis-server to stop', async () => !(await answersPing(port)));
    },
  };
}

describe('limits shared through Redis', () => {
  let dir = '';
  let redis: ReturnType<typeof redisServer>;
  let db: Db | undefined;
  let apps: App[] = [];
  let logLines: string[] = [];
  let prefix = '';

  beforeAll(async () => {
    if (!hasRedis) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-redis-'));
    redis = redisServer(dir, await freePort());
    await redis.start();
  });
  afterAll(async () => {
    if (!hasRedis) return;
    await redis.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
    await db?.close();
    db = undefined;
  });

  /** Two instances over one database and one Redis, each with its own memory: what two processes hold apart. */
  async function twoInstances(redisUrl: string) {
    db = await createTestDb();
    logLines = [];
    // Each test its own installation in the one Redis, as REDIS_KEY_PREFIX allows.
    prefix = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const config = loadConfig({
      DATA_DIR: '/tmp/tailor-test-unused',
      LOG_LEVEL: 'info',
      REQUEST_LOG: 'off',
      LOGIN_RATE_LIMIT: '3',
      MANAGEMENT_RATE_LIMIT: '5',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
    });
    const logger = { write: (line: string) => void logLines.push(line) };
    for (let i = 0; i < 2; i++) apps.push(await buildApp({ config, db, clock: systemClock, logger, webDist: '/nonexistent' }));
    await Promise.all(apps.map((app) => app.ready()));
    const [a, b] = apps as [App, App];
    const owner = await a.services.identity.createUser({ email: 'owner@example.com', password: PASSWORD, firstName: 'O', lastName: 'Wner', orgRole: 'OWNER' });
    await a.services.identity.createUser({ email: 'alice@example.com', password: PASSWORD, firstName: 'A', lastName: 'Lice', orgRole: 'MEMBER' });
    await a.services.identity.createUser({ email: 'bob@example.com', password: PASSWORD, firstName: 'B', lastName: 'Ob', orgRole: 'MEMBER' });
    const token = (await a.services.identity.openSession(owner)).token;
    const login = (app: App, email: string, password = 'wrong password') =>
      app.inject({ method: 'POST', url: '/api/user-session', remoteAddress: '10.0.0.1', payload: { user: { email, password } } }).then((r) => r.statusCode);
    const projects = (app: App) => app.inject({ method: 'GET', url: '/api/projects', headers: { authtoken: token } });
    const metric = async (app: App, name: string) => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line === undefined ? undefined : Number(line.split(' ')[1]);
    };
    const redisLines = () => logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg.startsWith('Redis (REDIS_URL)'));
    return { a, b, login, projects, metric, redisLines };
  }

  it.skipIf(!hasRedis)('refuses failed log-ins spread over two instances once their combined count reaches the limit', async () => {
    const { a, b, login } = await twoInstances(redis.url);
    // Three failures, no instance with more than two of them.
    expect([await login(a, 'alice@example.com'), await login(b, 'alice@example.com'), await login(a, 'alice@example.com')]).toEqual([401, 401, 401]);
    expect(await login(b, 'alice@example.com', PASSWORD)).toBe(429);
    expect(await login(a, 'alice@example.com', PASSWORD)).toBe(429);
    // Another account from the same address is not held to alice's count.
    expect(await login(b, 'bob@example.com', PASSWORD)).toBe(200);

    // The keys are this installation's, and hold neither emails nor addresses.
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('*');
      const ours = keys.filter((k) => k.startsWith(`tailor:${prefix}:login:`));
      expect(ours.length).toBeGreaterThanOrEqual(3);
      expect(keys.filter((k) => k.includes(prefix) && !k.startsWith(`tailor:${prefix}:`))).toEqual([]);
      expect(ours.join(' ')).not.toMatch(/alice|example|10\.0\.0\.1/);
      const ttl = await client.pttl(ours[0] ?? '');
      expect(ttl).toBeGreaterThan(14 * 60 * 1000);
      expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);
    } finally {
      client.disconnect();
    }
  });

  it.skipIf(!hasRedis)('holds the organization to one Management API limit across both instances', async () => {
    const { a, b, projects } = await twoInstances(redis.url);
    // The window is a wall-clock second: start the burst at the beginning of one.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await projects(i % 2 === 0 ? a : b));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0', '0']);
    expect(answers[5]?.headers['retry-after']).toBe('1');
  });

  it.skipIf(!hasRedis)('keeps answering from memory while Redis is down, logs the outage once, and shares again once it is back', async () => {
    const { a, b, login, projects, metric, redisLines } = await twoInstances(redis.url);
    expect(await metric(a, 'tailor_limit_store_up')).toBe(1);
    expect(await login(a, 'alice@example.com')).toBe(401);

    await redis.kill();
    try {
      // Every request is answered; each instance now counts its own share (A saw alice's first failure).
      for (let i = 0; i < 3; i++) expect((await projects(i % 2 === 0 ? a : b)).statusCode).toBe(200);
      expect([await login(a, 'alice@example.com'), await login(a, 'alice@example.com')]).toEqual([401, 401]);
      expect(await login(a, 'alice@example.com', PASSWORD)).toBe(429);
      expect(await login(b, 'alice@example.com', PASSWORD)).toBe(200);
      expect(await metric(a, 'tailor_limit_store_up')).toBe(0);
      expect(await metric(a, 'tailor_limit_store_fallbacks_total')).toBeGreaterThan(0);
      // One warning per instance for the whole outage, not one per request.
      const warnings = redisLines().filter((l) => l.level === 40);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]?.msg).toContain('counted in this process');
    } finally {
      await redis.start();
    }

    await until('both instances to use Redis again', async () => (await metric(a, 'tailor_limit_store_up')) === 1 && (await metric(b, 'tailor_limit_store_up')) === 1);
    expect(redisLines().filter((l) => l.level === 30 && l.msg.includes('answers again'))).toHaveLength(2);
    const fallbacks = await metric(a, 'tailor_limit_store_fallbacks_total');
    expect([await login(a, 'bob@example.com'), await login(b, 'bob@example.com'), await login(a, 'bob@example.com')]).toEqual([401, 401, 401]);
    expect(await login(b, 'bob@example.com', PASSWORD)).toBe(429);
    expect(await metric(a, 'tailor_limit_store_fallbacks_total')).toBe(fallbacks);
  });

  it('starts and answers log-ins when Redis is unreachable from the start', async () => {
    const { a, login, metric, redisLines } = await twoInstances(`redis://127.0.0.1:${await freePort()}`);
    expect(await login(a, 'alice@example.com', PASSWORD)).toBe(200);
    expect(await metric(a, 'tailor_limit_store_up')).toBe(0);
    expect(redisLines().filter((l) => l.level === 40)).toHaveLength(2);
  });
});

describe.skipIf(!hasRedis || isPostgresRun())('limits shared by the worker processes of serve --workers 2', () => {
  let dir = '';
  let redis: ReturnType<typeof redisServer>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-redis-workers-'));
    redis = redisServer(dir, await freePort());
    await redis.start();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await redis.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('locks an account after the threshold however the failed log-ins spread over the workers', async () => {
    server = await startServer({ env: { DATA_DIR: dir, LOGIN_RATE_LIMIT: '3', REDIS_URL: redis.url }, args: ['--workers', '2'] });
    // A connection of its own per attempt, so the primary hands them to the workers in turn.
    const attempt = () =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(`${server!.url}/api/user-session`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end(JSON.stringify({ user: { email: ADMIN.email, password: 'not the password' } }));
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await attempt());
    // Counted in each worker's memory, the fourth would reach a worker that has seen two at most.
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  }, 60_000);
});
