import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export const ADMIN = { email: 'owner@example.com', password: 'correct horse battery' };

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every line the process (and its workers) wrote so far, parsed where it is JSON. */
  lines(): Array<Record<string, unknown>>;
  /** The pid that logged the start-up line: the primary with workers (the child may be a launcher). */
  pid: number;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * `tailor serve` as its own process (TypeScript run from source), as an operator starts it:
 * real port, real database, its own memory. Resolves once `/readyz` answers 200.
 */
export async function startServer(options: { env: Record<string, string>; args?: string[]; readyTimeoutMs?: number; port?: number }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['--conditions=source', 'apps/server/src/cli/tailor.ts', 'serve', ...(options.args ?? [])], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MANAGEMENT_RATE_LIMIT: '0',
      TAILOR_ADMIN_EMAIL: ADMIN.email,
      TAILOR_ADMIN_PASSWORD: ADMIN.password,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let ended: number | string | null = null;
  void exited.then((code) => {
    ended = code;
  });
  for (;;) {
    if (ended !== null) throw new Error(`tailor serve exited (${ended}) before it was ready:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    // Ready once the start-up line is out (with workers: once every worker listens).
    const started = lines.some((line) => typeof line.msg === 'string' && line.msg.startsWith('Tailor is serving'));
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200 && started) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tailor serve was not ready within the timeout:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const startLine = lines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('Tailor is serving'));
  return {
    url,
    child,
    pid: Number(startLine?.pid),
    lines: () => lines,
    exited,
    async stop(signal = 'SIGTERM') {
      if (ended === null) child.kill(signal);
      return exited;
    },
  };
}

/** A resource as the Management API answers it; tests read the fields they know. */
export type JsonBody = Record<string, unknown>;

export interface ApiClient {
  call(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** POST that must answer 201; the created resource. */
  create(url: string, body: unknown): Promise<JsonBody>;
}

/** Logs in as the bootstrap owner and calls the Management API of one project (or none). */
export async function apiClient(baseUrl: string, projectUid?: string): Promise<ApiClient> {
  const login = await fetch(`${baseUrl}/api/user-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: ADMIN }),
  });
  if (login.status !== 200) throw new Error(`log-in → ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { user: { authtoken: string } }).user.authtoken;
  const client: ApiClient = {
    async call(method, url, body, headers = {}) {
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          authtoken: token,
          ...(projectUid === undefined ? {} : { 'x-project-uid': projectUid }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: response.headers };
    },
    async create(url, body) {
      const response = await client.call('POST', url, body);
      if (response.status !== 201) throw new Error(`POST ${url} → ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as JsonBody;
    },
  };
  return client;
}

// A fresh connection per request: the cluster hands each new connection to the next worker.
export type ManifestVariants = Map<string, string | null>;

/** Experience shortUid → active variant shortUid, in the manifest's (priority) order. */
export async function manifestOf(baseUrl: string, projectUid: string, visitor: string, query = ''): Promise<ManifestVariants> {
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.get(`${baseUrl}/edge/manifest${query}`, { agent: false, headers: { 'x-project-uid': projectUid, 'x-cs-personalize-user-uid': visitor } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error('the manifest took longer than 5 s')));
  });
  if (status !== 200) throw new Error(`manifest → ${status} ${body}`);
  const parsed = JSON.parse(body) as { experiences: Array<{ shortUid: string; activeVariantShortUid: string | null }> };
  return new Map(parsed.experiences.map((e) => [e.shortUid, e.activeVariantShortUid]));
}
