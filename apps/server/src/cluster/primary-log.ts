import os from 'node:os';
import type { Config } from '../config.js';

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

export type PrimaryLog = Record<'debug' | 'info' | 'warn' | 'error', (message: string, details?: Record<string, unknown>) => void>;

/**
 * The primary of `serve --workers N` serves no requests, so it has no Fastify logger; it writes
 * the same JSON lines as the workers' (pino's level numbers, time, pid, hostname, msg) so one log
 * pipeline reads both.
 */
export function createPrimaryLog(level: Config['logLevel'], write: (line: string) => void = (line) => process.stdout.write(line)): PrimaryLog {
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : LEVELS[level];
  const hostname = os.hostname();
  const at = (name: keyof typeof LEVELS) => (message: string, details: Record<string, unknown> = {}) => {
    if (LEVELS[name] < threshold) return;
    const err = details.err instanceof Error ? { type: details.err.name, message: details.err.message, stack: details.err.stack } : details.err;
    write(`${JSON.stringify({ level: LEVELS[name], time: Date.now(), pid: process.pid, hostname, role: 'primary', ...details, ...(err === undefined ? {} : { err }), msg: message })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
