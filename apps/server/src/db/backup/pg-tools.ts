import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { BackupError } from './backup-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A libpq connection URI without its password, and the password apart. */
export interface PgConnection {
  /** Safe on a command line (other users see it in `ps`) and in messages. */
  dbname: string;
  password: string | undefined;
}

export function pgConnection(url: string): PgConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL: it may hold a password.
    throw new BackupError('DATABASE_URL is not a valid URL.');
  }
  const password = parsed.password !== '' ? decodeURIComponent(parsed.password) : (parsed.searchParams.get('password') ?? undefined);
  parsed.password = '';
  parsed.searchParams.delete('password');
  return { dbname: parsed.toString(), password };
}

/** DATABASE_URL as messages may show it: `postgres://tailor@db:5432/tailor`. */
export function redactDatabaseUrl(url: string): string {
  try {
    return pgConnection(url).dbname;
  } catch {
    return '(DATABASE_URL)';
  }
}

// Tailor's own secrets are of no use to pg_dump; PG* variables (PGSSLROOTCERT, PGPASSFILE, …) pass through.
const WITHHELD = new Set(['DATABASE_URL', 'TAILOR_ADMIN_PASSWORD', 'METRICS_TOKEN']);

function toolEnv(env: Env, password: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && !WITHHELD.has(key)) out[key] = value;
  // PGPASSWORD rather than the URL on the command line: the environment of a process is private to its user.
  if (password !== undefined) out.PGPASSWORD = password;
  return out;
}

/** The tool ran and exited non-zero (as opposed to not being installed). */
export class ToolFailedError extends BackupError {}

function missingTool(tool: string): BackupError {
  return new BackupError(
    `${tool} was not found on PATH. Install PostgreSQL's client programs, of the server's major version or newer ` +
      '(Debian/Ubuntu: apt-get install postgresql-client; Alpine: apk add postgresql-client; Fedora/RHEL: dnf install postgresql; macOS: brew install libpq).',
  );
}

/** The line of a tool's stderr that says what went wrong (and its DETAIL), passwords masked. */
export function reasonFrom(stderr: string, password: string | undefined): string {
  let text = stderr.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  if (password) for (const secret of new Set([password, encodeURIComponent(password)])) text = text.split(secret).join('***');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const at = lines.findIndex((l) => /error|fatal/i.test(l));
  const first = lines[at === -1 ? lines.length - 1 : at] ?? 'no message';
  const detail = at === -1 ? undefined : lines.slice(at + 1).find((l) => l.startsWith('DETAIL:'));
  return detail ? `${first} ${detail}` : first;
}

/**
 * Runs pg_dump or pg_restore from PATH; `onLine` receives stdout line by line (pg_restore's SQL
 * output is streamed, never held whole). A non-zero exit is a BackupError with the tool's reason.
 */
export function runPgTool(
  tool: 'pg_dump' | 'pg_restore',
  args: readonly string[],
  options: { env: Env; password: string | undefined; onLine?: (line: string) => void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args], { env: toolEnv(options.env, options.password), stdio: ['ignore', options.onLine ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 65_536) stderr += chunk;
    });
    // Settle only once the process has exited and its output has been read to the end.
    let pending = options.onLine && child.stdout ? 2 : 1;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const settle = () => {
      pending -= 1;
      if (pending > 0 || !exit) return;
      if (exit.code === 0) resolve();
      else reject(new ToolFailedError(`${tool} failed (${exit.signal ?? `exit code ${String(exit.code)}`}): ${reasonFrom(stderr, options.password)}`));
    };
    if (options.onLine && child.stdout) {
      const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
      lines.on('line', options.onLine);
      lines.on('close', settle);
    }
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? missingTool(tool) : error));
    child.on('close', (code, signal) => {
      exit = { code, signal };
      settle();
    });
  });
}
