import type { RuleCombination } from '@tailor/engine';
import type { TestApp } from '../../test/test-app.js';
import { experienceClient } from '../../test/test-experiences.js';
import type { TestProject } from '../../test/test-project.js';

/**
 * Seeds edge tests through the real Management API (as the console and CLI would), so the
 * change events that rebuild decision snapshots fire exactly as in production.
 */
export interface EdgeSeed {
  attribute(key: string): Promise<string>;
  audience(name: string, definition: RuleCombination): Promise<string>;
  updateAudience(uid: string, definition: RuleCombination): Promise<void>;
  event(key: string): Promise<string>;
  /** An ACTIVE segmented experience; returns its shortUid. */
  segmented(
    name: string,
    variants: Array<{ name: string; audiences: string[]; audienceCombinationType?: 'AND' | 'OR'; payload?: unknown }>,
    tags?: string[],
  ): Promise<string>;
  /** An ACTIVE A/B test (Everyone unless `targeting` audiences are given); returns its shortUid. */
  abTest(name: string, variants: Array<{ name: string; trafficDistribution: number }>, targeting?: string[]): Promise<string>;
}

export function edgeSeed(t: TestApp, project: TestProject): EdgeSeed {
  const headers = project.headersFor(t.owner);

  async function post(url: string, payload: unknown): Promise<string> {
    const response = await t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
    if (response.statusCode !== 201) throw new Error(`POST ${url} → ${response.statusCode} ${response.body}`);
    return (JSON.parse(response.body) as { uid: string }).uid;
  }

  return {
    attribute: (key) => post('/api/attributes', { name: `Attribute ${key}`, key, description: '' }),
    audience: (name, definition) => post('/api/audiences', { name, description: '', definition }),
    async updateAudience(uid, definition) {
      const response = await t.app.inject({ method: 'PUT', url: `/api/audiences/${uid}`, headers, payload: { definition } });
      if (response.statusCode !== 200) throw new Error(`PUT audience → ${response.statusCode} ${response.body}`);
    },
    event: (key) => post('/api/events', { key, description: '' }),
    async segmented(name, variants, tags = []) {
      const api = experienceClient(t, project);
      const exp = await api.create({ name, __type: 'SEGMENTED', tags });
      const body = variants.map((v) => ({ __type: 'SegmentedVariant', audienceCombinationType: 'OR', ...v }));
      const response = await api.putVersion(exp.uid, exp.latestVersion, { status: 'ACTIVE', variants: body });
      if (response.statusCode !== 200) throw new Error(`activate ${name} → ${response.statusCode} ${response.body}`);
      return exp.shortUid;
    },
    async abTest(name, variants, targeting) {
      const api = experienceClient(t, project);
      const exp = await api.create({ name, __type: 'AB_TEST' });
      const response = await api.putVersion(exp.uid, exp.latestVersion, {
        status: 'ACTIVE',
        variants: variants.map((v) => ({ __type: 'ABTestVariant', ...v })),
        targeting: targeting ? { audiences: targeting, audienceCombinationType: 'OR' } : null,
      });
      if (response.statusCode !== 200) throw new Error(`activate ${name} → ${response.statusCode} ${response.body}`);
      return exp.shortUid;
    },
  };
}

/** `<attribute uid> equals <value>` (or, inverted, does not) as a one-rule audience definition. */
export function equalsRule(attributeUid: string, value: string, invert = false): RuleCombination {
  return {
    __type: 'RuleCombination',
    combinationType: 'AND',
    rules: [
      {
        __type: 'Rule',
        attribute: { __type: 'CustomAttributeReference', ref: attributeUid },
        attributeMatchCondition: 'STRING_EQUALS',
        attributeMatchOptions: { __type: 'StringMatchOptions', value },
        invertCondition: invert,
      },
    ],
  };
}

/** `<preset> equals <value>` (or, inverted, does not), e.g. COUNTRY = US. */
export function presetRule(ref: 'COUNTRY' | 'DEVICE_TYPE' | 'OPERATING_SYSTEM' | 'CITY' | 'REGION', value: string, invert = false): RuleCombination {
  return {
    __type: 'RuleCombination',
    combinationType: 'AND',
    rules: [
      {
        __type: 'Rule',
        attribute: { __type: 'PresetAttributeReference', ref },
        attributeMatchCondition: 'STRING_EQUALS',
        attributeMatchOptions: { __type: 'StringMatchOptions', value },
        invertCondition: invert,
      },
    ],
  };
}
