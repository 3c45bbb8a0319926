import { E2E_ADMIN } from './constants.js';
import { apiToken } from './helpers.js';

export interface Seed {
  projectUid: string;
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  /** An audience of one rule, "Device type is <device>". */
  deviceAudience: (name: string, device: 'MOBILE' | 'DESKTOP' | 'TABLET') => Promise<{ uid: string; version: number }>;
}

/** A fresh project made through the Management API as the e2e org owner, and a client scoped to it. */
export async function seedProject(baseURL: string, name: string, description: string): Promise<Seed> {
  const token = await apiToken(baseURL, E2E_ADMIN.email, E2E_ADMIN.password);
  let projectUid = '';
  const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authtoken: token, accept: 'application/json' };
    if (projectUid) headers['x-project-uid'] = projectUid;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseURL}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${String(response.status)} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const project = await call<{ uid: string }>('POST', '/api/projects', { name, description });
  projectUid = project.uid;
  const deviceAudience = (name: string, device: string) =>
    call<{ uid: string; version: number }>('POST', '/api/audiences', {
      name,
      description: '',
      definition: {
        __type: 'RuleCombination',
        combinationType: 'AND',
        rules: [
          {
            __type: 'Rule',
            attribute: { __type: 'PresetAttributeReference', ref: 'DEVICE_TYPE' },
            attributeMatchCondition: 'STRING_EQUALS',
            attributeMatchOptions: { __type: 'StringMatchOptions', value: device },
            invertCondition: false,
          },
        ],
      },
    });
  return { projectUid, call, deviceAudience };
}
