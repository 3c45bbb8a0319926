import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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

  it('names every bad variable at once', () => {
    const message = failure({ PORT: '-1', LOG_LEVEL: 'x' });
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
  });
});
