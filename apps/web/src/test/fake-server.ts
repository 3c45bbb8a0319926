import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Handler = (request: RecordedRequest) => Response | { status?: number; body?: unknown; headers?: Record<string, string> };

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * A stand-in for the Tailor server at the fetch boundary: routes are `"METHOD /path"` keys,
 * unknown routes answer 404, and every request is recorded for assertions on what was sent.
 */
export function fakeServer(routes: Record<string, Handler>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const text = typeof init.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      headers: new Headers(init.headers),
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
      credentials: init.credentials,
    };
    requests.push(request);
    const handler = routes[`${request.method} ${request.path}`];
    if (!handler) return json(404, { error: 'personalize.TEST.NOT_FOUND', message: `No fake route ${request.method} ${request.path}` });
    const answer = handler(request);
    return answer instanceof Response ? answer : json(answer.status ?? 200, answer.body, answer.headers);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests, fetchMock };
}
