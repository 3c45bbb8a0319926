import type { Reference } from '@tailor/contract';
import { ApiError, toApiError } from './api-error';
import { csrfCookieName, readCookie } from './client';

/**
 * Project-scoped calls (attributes, audiences, events) name their project in `x-project-uid`
 * (Contentstack's protocol), and their 409 bodies carry details (`current`, `references`) that
 * screens need. The shared client sends neither custom headers nor bodies on errors.
 * TODO: fold into `client.ts` once its `RequestOptions` accepts headers and keeps error bodies.
 */
export class ResourceApiError extends ApiError {
  readonly body: unknown;

  constructor(base: ApiError, body: unknown) {
    super({
      status: base.status,
      message: base.message,
      code: base.code,
      fieldErrors: base.fieldErrors,
      retryAfterSeconds: base.retryAfterSeconds,
    });
    this.body = body;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function projectRequest<T>(projectUid: string, method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-project-uid': projectUid };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(csrfCookieName);
    if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, message: 'Cannot reach the Tailor server. Check your connection.' });
  }
  const parsed = await readBody(response);
  if (!response.ok) throw new ResourceApiError(toApiError(response.status, response.headers, parsed), parsed);
  return parsed as T;
}

/** HTTP verbs bound to one project. */
export function projectApi(projectUid: string) {
  return {
    get: <T>(path: string, signal?: AbortSignal) => projectRequest<T>(projectUid, 'GET', path, undefined, signal),
    post: <T>(path: string, body?: unknown) => projectRequest<T>(projectUid, 'POST', path, body),
    put: <T>(path: string, body?: unknown) => projectRequest<T>(projectUid, 'PUT', path, body),
    delete: (path: string) => projectRequest<undefined>(projectUid, 'DELETE', path),
  };
}

function bodyRecord(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof ResourceApiError)) return undefined;
  const body = error.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** The server copy sent with a `…VERSION_CONFLICT` 409, if this error is one. */
export function conflictCurrent<T>(error: unknown): T | undefined {
  if (!(error instanceof ResourceApiError) || error.status !== 409 || !error.code?.endsWith('.VERSION_CONFLICT')) return undefined;
  const current = bodyRecord(error)?.current;
  return current === undefined || current === null ? undefined : (current as T);
}

/** What still uses the resource, from a `…REFERENCED` 409. */
export function blockingReferences(error: unknown): Reference[] | undefined {
  if (!(error instanceof ResourceApiError) || error.status !== 409 || !error.code?.endsWith('.REFERENCED')) return undefined;
  const references = bodyRecord(error)?.references;
  return Array.isArray(references) ? (references as Reference[]) : [];
}

export const resourcePath = (collection: 'attributes' | 'audiences' | 'events', uid?: string, suffix = '') =>
  `/api/${collection}${uid === undefined ? '' : `/${encodeURIComponent(uid)}`}${suffix}`;
