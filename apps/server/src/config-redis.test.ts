import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('REDIS_URL', () => {
  it('counts the limits in each process when unset', () => {
    expect(loadConfig({}).redis).toBeNull();
  });

  it('reads a redis:// or rediss:// URL, and prefixes the keys with tailor: and REDIS_KEY_PREFIX', () => {
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).redis).toEqual({ url: 'redis://localhost:6379', keyPrefix: 'tailor:' });
    expect(loadConfig({ REDIS_URL: ' rediss://:s3cret@cache.internal:6380/2 ', REDIS_KEY_PREFIX: 'staging' }).redis).toEqual({
      url: 'rediss://:s3cret@cache.internal:6380/2',
      keyPrefix: 'tailor:staging:',
    });
  });

  it.each([
    ['not a URL', 'localhost:6379'],
    ['another scheme', 'http://localhost:6379'],
    ['no host', 'redis://'],
    ['a path that is not a database number', 'redis://localhost:6379/tailor'],
  ])('stops start-up on %s, naming REDIS_URL without repeating its password', (_case, url) => {
    const message = failure({ REDIS_URL: url.replace('localhost', ':hunter2@localhost') });
    expect(message).toMatch(/^Invalid configuration:\n {2}REDIS_URL: /);
    expect(message).not.toContain('hunter2');
  });

  it('refuses REDIS_KEY_PREFIX without REDIS_URL, and one that is not a plain name', () => {
    expect(failure({ REDIS_KEY_PREFIX: 'staging' })).toContain('REDIS_KEY_PREFIX: names this installation');
    expect(failure({ REDIS_URL: 'redis://localhost', REDIS_KEY_PREFIX: 'a b' })).toContain('REDIS_KEY_PREFIX: must be 1 to 64');
  });
});
