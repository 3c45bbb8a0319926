import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { createSqliteDb, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';
import { isConsoleNavigation } from './console-static.js';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const SCRIPT = 'console.log("tailor");'.repeat(100);

describe('the console and the paths that are not its', () => {
  let app: App;
  let db: Db;
  let webDist: string;

  beforeAll(async () => {
    webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-web-'));
    fs.mkdirSync(path.join(webDist, 'assets'));
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Tailor</title>');
    fs.writeFileSync(path.join(webDist, 'favicon.svg'), '<svg/>');
    const asset = path.join(webDist, 'assets', 'index-Ab12Cd.js');
    fs.writeFileSync(asset, SCRIPT);
    fs.writeFileSync(`${asset}.br`, zlib.brotliCompressSync(SCRIPT));
    fs.writeFileSync(`${asset}.gz`, zlib.gzipSync(SCRIPT));
    db = createSqliteDb(':memory:');
    await migrateToLatest(db);
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: false, webDist });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    fs.rmSync(webDist, { recursive: true, force: true });
  });

  it('serves index.html for client-side routes a browser navigates to, revalidated on each use', async () => {
    for (const url of ['/', '/projects/abc/audiences/new', '/login', '/invitations/xyz?x=1']) {
      const res = await app.inject({ method: 'GET', url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>Tailor</title>');
    }
  });

  it('answers JSON 404s for server paths, files and non-browser requests', async () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['GET', '/api/nope', HTML],
      ['GET', '/edge/nope', HTML],
      ['GET', '/v3/nope', HTML],
      ['GET', '/metricsx/a.txt', HTML],
      ['GET', '/assets/missing-Zz9.js', HTML],
      ['GET', '/wp-login.php', HTML],
      ['GET', '/.well-known/security.txt', HTML],
      ['GET', '/projects/abc', { accept: 'application/json' }],
      ['GET', '/projects/abc', {}],
      ['POST', '/projects/abc', HTML],
      ['DELETE', '/', HTML],
    ];
    for (const [method, url, headers] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['content-type'], `${method} ${url}`).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({ error: 'personalize.NOT_FOUND' });
    }
  });

  it('sends hashed assets precompressed and cached for a year', async () => {
    const url = '/assets/index-Ab12Cd.js';
    const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);

    const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const plain = await app.inject({ method: 'GET', url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('revalidates files that are not hashed', async () => {
    const res = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });
});

describe('isConsoleNavigation', () => {
  it('is a GET or HEAD for HTML outside the server prefixes, not a file', () => {
    expect(isConsoleNavigation('GET', '/projects/p1/experiences', 'text/html')).toBe(true);
    expect(isConsoleNavigation('HEAD', '/', 'text/html')).toBe(true);
    expect(isConsoleNavigation('GET', '/metrics', 'text/html')).toBe(false);
    expect(isConsoleNavigation('GET', '/apiary', 'text/html')).toBe(true);
    expect(isConsoleNavigation('GET', '/api', 'text/html')).toBe(false);
    expect(isConsoleNavigation('GET', '/readyz/x', 'text/html')).toBe(false);
    expect(isConsoleNavigation('GET', '/robots.txt', 'text/html')).toBe(false);
    expect(isConsoleNavigation('GET', '/projects', 'application/openmetrics-text; version=1.0.0,text/plain;q=0.5')).toBe(false);
    expect(isConsoleNavigation('GET', '/projects', undefined)).toBe(false);
  });
});
