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
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  admin: { email: string; password: string } | null;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
}

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
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'tailor.db') },
    admin:
      e.TAILOR_ADMIN_EMAIL && e.TAILOR_ADMIN_PASSWORD
        ? { email: e.TAILOR_ADMIN_EMAIL, password: e.TAILOR_ADMIN_PASSWORD }
        : null,
    logLevel: e.LOG_LEVEL,
    bodyLimit: 1024 * 1024,
  };
}
