import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  TAILOR_ADMIN_EMAIL: z.email().optional(),
  TAILOR_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TRUST_PROXY: z.string().optional(),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL'], { message: 'must be FULL or NORMAL' }).default('FULL'),
  PUBLIC_URL: z.string().optional(),
  DATABASE_DIRECT_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  WORKERS: z
    .string()
    .regex(/^(auto|[1-9][0-9]?)$/i, 'must be auto or a whole number of processes from 1 to 99')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number({ message: 'must be a whole number from 1 to 500' }).int('must be a whole number from 1 to 500').min(1, 'must be a whole number from 1 to 500').max(500, 'must be a whole number from 1 to 500').default(10),
  MANAGEMENT_RATE_LIMIT: z.coerce.number({ message: 'must be a whole number of requests per second (0 turns the limit off)' }).int('must be a whole number of requests per second (0 turns the limit off)').min(0, 'must be a whole number of requests per second (0 turns the limit off)').max(1_000_000).default(100),
  LOGIN_RATE_LIMIT: z.coerce.number({ message: 'must be a whole number of failed log-ins from 1 to 1000' }).int('must be a whole number of failed log-ins from 1 to 1000').min(1, 'must be a whole number of failed log-ins from 1 to 1000').max(1000, 'must be a whole number of failed log-ins from 1 to 1000').default(10),
  REQUEST_LOG: z.enum(['errors', 'all', 'off'], { message: 'must be errors, all or off' }).default('errors'),
  SLOW_REQUEST_MS: z.coerce.number({ message: 'must be a whole number of milliseconds' }).int('must be a whole number of milliseconds').min(1, 'must be at least 1').max(600_000, 'must be at most 600000').default(1000),
  GEO_COUNTRY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name such as cf-ipcountry or cloudfront-viewer-country')
    .transform((name) => name.toLowerCase())
    .optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  REDIS_URL: z.string().optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores').optional(),
});

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', bits, extra] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Which peers may tell Tailor the client's address and protocol (X-Forwarded-For/-Proto):
 * unset trusts nobody; a number trusts that many hops; a comma-separated list trusts those
 * addresses, CIDR ranges or named ranges.
 */
function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined) return false;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) throw new ConfigError('Invalid configuration:\n  TRUST_PROXY: a hop count must be at most 32');
    // proxy-addr's own hop-count rule: the nearest `hops` peers are trusted.
    return hops === 0 ? false : (_address: string, hop: number) => hop < hops;
  }
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (entries.length === 0 || bad.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  TRUST_PROXY: expected a hop count or a comma-separated list of addresses, CIDRs, loopback, linklocal or uniquelocal; received ${JSON.stringify(bad[0] ?? text)}`,
    );
  }
  return entries;
}

/**
 * Where users reach Tailor (scheme, host, optional port), for the links it writes and for
 * deciding whether browsers must use https. No path: Tailor serves from the root.
 */
function parsePublicUrl(value: string | undefined): URL | null {
  if (value === undefined) return null;
  const fail = (why: string) => new ConfigError(`Invalid configuration:\n  PUBLIC_URL: ${why}; received ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw fail('expected an absolute http:// or https:// URL such as https://tailor.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('expected an http:// or https:// URL');
  if (url.username !== '' || url.password !== '') throw fail('must not contain a user name or password');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw fail('must be an origin without a path, query or fragment (Tailor serves from /)');
  return url;
}

/**
 * WORKERS (or `serve --workers`): `auto` is one process per CPU this process may use; unset is 1,
 * so an embedded install stays one process unless asked (ADR 0094).
 */
export function parseWorkers(value: string | undefined, name = 'WORKERS'): number {
  if (value === undefined) return 1;
  const text = value.trim().toLowerCase();
  if (text === 'auto') return Math.max(1, os.availableParallelism());
  if (!/^[1-9][0-9]?$/.test(text)) throw new ConfigError(`Invalid configuration:\n  ${name}: must be auto or a whole number of processes from 1 to 99; received ${JSON.stringify(value)}`);
  return Number(text);
}

/**
 * REDIS_URL: the Redis in which every process and instance counts the rate limits and log-in
 * lockouts (ADR 0097). Messages never repeat the value: it may hold a password.
 */
function parseRedis(url: string | undefined, prefix: string | undefined): Config['redis'] {
  if (url === undefined) {
    if (prefix !== undefined) throw new ConfigError("Invalid configuration:\n  REDIS_KEY_PREFIX: names this installation's keys in Redis, so it needs REDIS_URL");
    return null;
  }
  const fail = (why: string) => new ConfigError(`Invalid configuration:\n  REDIS_URL: ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw fail('expected a redis:// or rediss:// URL such as redis://localhost:6379');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw fail('expected a redis:// or rediss:// URL (rediss:// for TLS)');
  if (parsed.hostname === '') throw fail('must name a host, as in redis://localhost:6379');
  if (!/^\/?\d{0,2}$/.test(parsed.pathname)) throw fail('may have no path but a database number, as in redis://localhost:6379/2');
  return { url: url.trim(), keyPrefix: prefix === undefined ? 'tailor:' : `tailor:${prefix}:` };
}

export interface Config {
  port: number;
  /** Serving processes on the port: 1 serves from this process; more fork workers (ADR 0094). */
  workers: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string; synchronous: 'FULL' | 'NORMAL' } | { kind: 'postgres'; url: string; directUrl: string; poolSize: number };
  admin: { email: string; password: string } | null;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Fastify's `trustProxy`: trust nobody, the nearest hops, or the listed addresses and ranges. */
  trustProxy: TrustProxy;
  /** PUBLIC_URL: the origin users reach; null means "as the request came in". */
  publicUrl: URL | null;
  /** Management API requests per second per organization; 0 means unlimited. */
  managementRateLimit: number;
  /** Failed log-ins for one account from one address per 15 minutes (other limits scale with it). */
  loginRateLimit: number;
  /** Which requests get a log line: errors (4xx/5xx) and slow ones, every one, or none. */
  requestLog: { mode: 'errors' | 'all' | 'off'; slowMs: number };
  /** A header in which a trusted CDN names the visitor's country (overrides the IP's country). */
  geoCountryHeader: string | null;
  /** Bearer token `/metrics` requires; null leaves it open (bind it to a private network). */
  metricsToken: string | null;
  /** REDIS_URL and the prefix of Tailor's keys there; null counts the limits in each process. */
  redis: { url: string; keyPrefix: string } | null;
}

export type TrustProxy = false | string[] | ((address: string, hop: number) => boolean);

export class ConfigError extends Error {}

/** The only reader of process.env: a bad variable stops start-up with a message naming it. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  // Empty strings mean "unset", as they do in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.TAILOR_ADMIN_EMAIL === undefined) !== (e.TAILOR_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  TAILOR_ADMIN_EMAIL and TAILOR_ADMIN_PASSWORD must be set together',
    );
  }
  if (e.DATABASE_DIRECT_URL !== undefined && e.DATABASE_URL === undefined) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_DIRECT_URL: is the session connection beside DATABASE_URL, so it needs DATABASE_URL');
  }
  if (e.GEO_COUNTRY_HEADER !== undefined && e.TRUST_PROXY === undefined) {
    throw new ConfigError('Invalid configuration:\n  GEO_COUNTRY_HEADER: is read only from trusted proxies, so it needs TRUST_PROXY');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    workers: parseWorkers(e.WORKERS),
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, directUrl: e.DATABASE_DIRECT_URL ?? e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'sqlite', file: path.join(dataDir, 'tailor.db'), synchronous: e.SQLITE_SYNCHRONOUS },
    admin:
      e.TAILOR_ADMIN_EMAIL && e.TAILOR_ADMIN_PASSWORD
        ? { email: e.TAILOR_ADMIN_EMAIL, password: e.TAILOR_ADMIN_PASSWORD }
        : null,
    logLevel: e.LOG_LEVEL,
    bodyLimit: 1024 * 1024,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    publicUrl: parsePublicUrl(e.PUBLIC_URL),
    managementRateLimit: e.MANAGEMENT_RATE_LIMIT,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    requestLog: { mode: e.REQUEST_LOG, slowMs: e.SLOW_REQUEST_MS },
    geoCountryHeader: e.GEO_COUNTRY_HEADER ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    redis: parseRedis(e.REDIS_URL, e.REDIS_KEY_PREFIX),
  };
}
