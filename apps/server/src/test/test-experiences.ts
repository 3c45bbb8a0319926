import type { TestApp, TestUser } from './test-app.js';
import type { TestProject } from './test-project.js';

/** Fixtures for experience tests: audiences and events created through their own APIs. */
export async function createAudience(t: TestApp, project: TestProject, name: string, as: TestUser = t.owner): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/audiences',
    headers: project.headersFor(as),
    payload: {
      name,
      description: '',
      definition: {
        __type: 'RuleCombination',
        combinationType: 'AND',
        rules: [
          {
            __type: 'Rule',
            attribute: { __type: 'PresetAttributeReference', ref: 'COUNTRY' },
            attributeMatchCondition: 'STRING_EQUALS',
            attributeMatchOptions: { __type: 'StringMatchOptions', value: 'US' },
            invertCondition: false,
          },
        ],
      },
    },
  });
  if (res.statusCode !== 201) throw new Error(`audience fixture failed: ${res.statusCode} ${res.body}`);
  return (JSON.parse(res.body) as { uid: string }).uid;
}

export async function createEvent(t: TestApp, project: TestProject, key: string, as: TestUser = t.owner): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/events', headers: project.headersFor(as), payload: { key, description: '' } });
  if (res.statusCode !== 201) throw new Error(`event fixture failed: ${res.statusCode} ${res.body}`);
  return (JSON.parse(res.body) as { uid: string }).uid;
}

export interface ExperienceBody {
  uid: string;
  status: string;
  latestVersion: string;
  shortUid: string;
  version: number;
  priority: number;
  tags: string[];
  _cms?: { variantGroup: string; variants: Record<string, string> };
  [key: string]: unknown;
}

export interface VersionBody {
  uid: string;
  status: string;
  version: number;
  versionNumber: number;
  variants: Array<{ shortUid: string; name: string; trafficDistribution?: number; audiences?: string[] }>;
  activatedAt: string | null;
  [key: string]: unknown;
}

/** A small client for the experience endpoints as one user of one project. */
export function experienceClient(t: TestApp, project: TestProject, as: TestUser = t.owner) {
  const headers = project.headersFor(as);
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    call,
    async create(body: Record<string, unknown>): Promise<ExperienceBody> {
      const res = await call('POST', '/api/experiences', body);
      if (res.statusCode !== 201) throw new Error(`create experience failed: ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body) as ExperienceBody;
    },
    async get(uid: string): Promise<ExperienceBody> {
      return JSON.parse((await call('GET', `/api/experiences/${uid}`)).body) as ExperienceBody;
    },
    async versions(uid: string): Promise<VersionBody[]> {
      return JSON.parse((await call('GET', `/api/experiences/${uid}/versions`)).body) as VersionBody[];
    },
    putVersion: (uid: string, versionUid: string, body: unknown, extra?: Record<string, string>) =>
      call('PUT', `/api/experiences/${uid}/versions/${versionUid}`, body, extra),
    postVersion: (uid: string, body: unknown) => call('POST', `/api/experiences/${uid}/versions`, body),
    deleteVersion: (uid: string, versionUid: string) => call('DELETE', `/api/experiences/${uid}/versions/${versionUid}`),
  };
}
