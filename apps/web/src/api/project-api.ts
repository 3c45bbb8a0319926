import type { Reference } from '@tailor/contract';
import { ApiError } from './api-error';
import { request } from './client';

/**
 * Project-scoped calls (attributes, audiences, events, experiences, analytics) name their
 * project in `x-project-uid`, as Contentstack's protocol does.
 */
export function projectApi(projectUid: string) {
  const headers = { 'x-project-uid': projectUid };
  return {
    get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { headers, signal }),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, { headers, body }),
    put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { headers, body }),
    delete: (path: string) => request<undefined>('DELETE', path, { headers }),
  };
}

function bodyRecord(error: ApiError): Record<string, unknown> | undefined {
  const body = error.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** The server copy sent with a `…VERSION_CONFLICT` 409, if this error is one. */
export function conflictCurrent<T>(error: unknown): T | undefined {
  if (!(error instanceof ApiError) || error.status !== 409 || !error.code?.endsWith('.VERSION_CONFLICT')) return undefined;
  const current = bodyRecord(error)?.current;
  return current === undefined || current === null ? undefined : (current as T);
}

/** What still uses the resource, from a `…REFERENCED` 409. */
export function blockingReferences(error: unknown): Reference[] | undefined {
  if (!(error instanceof ApiError) || error.status !== 409 || !error.code?.endsWith('.REFERENCED')) return undefined;
  const references = bodyRecord(error)?.references;
  return Array.isArray(references) ? (references as Reference[]) : [];
}

export const resourcePath = (collection: 'attributes' | 'audiences' | 'events', uid?: string, suffix = '') =>
  `/api/${collection}${uid === undefined ? '' : `/${encodeURIComponent(uid)}`}${suffix}`;
