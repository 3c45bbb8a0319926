import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseWorkers } from './config.js';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('defaults to port 4000 on 127.0.0.1 with SQLite under ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', logLevel: 'info', admin: null });
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('data', 'tailor.db'), synchronous: 'FULL' });
    expect(config.trustProxy).toBe(false);
  });

  it('switches to PostgreSQL with DATABASE_URL and reads the rest', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/tailor',
      DATABASE_URL: 'postgresql://u:p@db/tailor',
      TAILOR_ADMIN_EMAIL: 'admin@example.com',
      TAILOR_ADMIN_PASSWORD: 'long enough',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/tailor',
      database: { kind: 'postgres', url: 'postgresql://u:p@db/tailor' },
      admin: { email: 'admin@example.com', password: 'long enough' },
      logLevel: 'debug',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 4000, database: { kind: 'sqlite' } });
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '12.5' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/tailor' }],
    ['TAILOR_ADMIN_EMAIL', { TAILOR_ADMIN_EMAIL: 'not-an-email', TAILOR_ADMIN_PASSWORD: 'long enough' }],
    ['TAILOR_ADMIN_PASSWORD', { TAILOR_ADMIN_EMAIL: 'a@example.com', TAILOR_ADMIN_PASSWORD: 'short' }],
    ['TAILOR_ADMIN_PASSWORD', { TAILOR_ADMIN_EMAIL: 'a@example.com' }],
    ['TAILOR_ADMIN_EMAIL', { TAILOR_ADMIN_PASSWORD: 'long enough' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'everyone' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1,,nope' }],
    ['TRUST_PROXY', { TRUST_PROXY: '99' }],
    ['SQLITE_SYNCHRONOUS', { SQLITE_SYNCHRONOUS: 'OFF' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'tailor.example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://tailor.example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://tailor.example.com/tailor' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://tailor.example.com/?a=1' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://admin:secret@tailor.example.com' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '0' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: 'ten' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '2.5' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '100000' }],
    ['MANAGEMENT_RATE_LIMIT', { MANAGEMENT_RATE_LIMIT: '-1' }],
    ['MANAGEMENT_RATE_LIMIT', { MANAGEMENT_RATE_LIMIT: 'fast' }],
    ['LOGIN_RATE_LIMIT', { LOGIN_RATE_LIMIT: '0' }],
    ['REQUEST_LOG', { REQUEST_LOG: 'verbose' }],
    ['SLOW_REQUEST_MS', { SLOW_REQUEST_MS: '0' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'has a space in it, long enough' }],
    ['GEO_COUNTRY_HEADER', { GEO_COUNTRY_HEADER: 'cf ipcountry', TRUST_PROXY: '1' }],
    ['GEO_COUNTRY_HEADER', { GEO_COUNTRY_HEADER: 'cf-ipcountry' }],
  ])('stops on a bad %s with a message naming it', (variable, env) => {
    const message = failure(env);
    expect(message).toContain(variable);
    expect(message.startsWith('Invalid configuration')).toBe(true);
  });

  it('reads TRUST_PROXY as a hop count or a list of addresses, CIDRs and named ranges', () => {
    const hops = loadConfig({ TRUST_PROXY: '2' }).trustProxy;
    expect(typeof hops).toBe('function');
    if (typeof hops === 'function') expect([hops('10.0.0.1', 0), hops('10.0.0.1', 1), hops('10.0.0.1', 2)]).toEqual([true, true, false]);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, ::1 ,loopback,192.168.1.4' }).trustProxy).toEqual(['10.0.0.0/8', '::1', 'loopback', '192.168.1.4']);
  });

  it('lets SQLite trade power-loss durability for commit speed with SQLITE_SYNCHRONOUS=NORMAL', () => {
    expect(loadConfig({ SQLITE_SYNCHRONOUS: 'NORMAL' }).database).toMatchObject({ kind: 'sqlite', synchronous: 'NORMAL' });
  });

  it('reads the production settings, with defaults an operator can leave alone', () => {
    expect(loadConfig({})).toMatchObject({
      publicUrl: null,
      managementRateLimit: 100,
      loginRateLimit: 10,
      requestLog: { mode: 'errors', slowMs: 1000 },
      geoCountryHeader: null,
      metricsToken: null,
    });
    const config = loadConfig({
      PUBLIC_URL: 'https://Tailor.Example.com:8443/',
      DATABASE_URL: 'postgres://db/tailor',
      DATABASE_POOL_SIZE: '25',
      MANAGEMENT_RATE_LIMIT: '0',
      LOGIN_RATE_LIMIT: '5',
      REQUEST_LOG: 'all',
      SLOW_REQUEST_MS: '250',
      TRUST_PROXY: '1',
      GEO_COUNTRY_HEADER: 'CF-IPCountry',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(config.publicUrl?.origin).toBe('https://tailor.example.com:8443');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://db/tailor', directUrl: 'postgres://db/tailor', poolSize: 25 });
    expect(config).toMatchObject({
      managementRateLimit: 0,
      loginRateLimit: 5,
      requestLog: { mode: 'all', slowMs: 250 },
      geoCountryHeader: 'cf-ipcountry',
      metricsToken: 'a-long-enough-metrics-token',
    });
  });

  it('reads WORKERS as a count or auto, one process when unset, and refuses anything else by name', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '4' }).workers).toBe(4);
    expect(loadConfig({ WORKERS: 'AUTO' }).workers).toBe(os.availableParallelism());
    for (const bad of ['0', '-2', '1.5', 'many', '100']) expect(failure({ WORKERS: bad })).toContain('WORKERS: must be auto or a whole number of processes from 1 to 99');
    expect(() => parseWorkers('zero', '--workers')).toThrow('--workers: must be auto or a whole number of processes from 1 to 99; received "zero"');
  });

  it('takes LISTEN and the job lock past a pooler with DATABASE_DIRECT_URL, which needs DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://pooler:6432/tailor', DATABASE_DIRECT_URL: 'postgres://db:5432/tailor' });
    expect(config.database).toMatchObject({ url: 'postgres://pooler:6432/tailor', directUrl: 'postgres://db:5432/tailor' });
    expect(failure({ DATABASE_DIRECT_URL: 'postgres://db/tailor' })).toContain('DATABASE_DIRECT_URL: is the session connection beside DATABASE_URL');
    expect(failure({ DATABASE_URL: 'postgres://db/tailor', DATABASE_DIRECT_URL: 'mysql://db' })).toContain('DATABASE_DIRECT_URL: must start with postgres://');
  });

  it('names every bad variable at once', () => {
    const message = failure({ PORT: '-1', LOG_LEVEL: 'x' });
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
  });
});
