import { newUid } from '../../shared/ids.js';
import type { TestApp } from '../../test/test-app.js';
import { createEvent, experienceClient } from '../../test/test-experiences.js';
import type { TestProject } from '../../test/test-project.js';

/** Test fixtures: an activated A/B test built through the real APIs, and raw events at chosen times. */

export interface SeededTest {
  experienceUid: string;
  shortUid: string;
  versionUid: string;
  eventUids: string[];
  eventKeys: string[];
}

export async function seedAbTest(
  t: TestApp,
  project: TestProject,
  options: { split?: number[]; metrics?: number; audiences?: string[] } = {},
): Promise<SeededTest> {
  const split = options.split ?? [50, 50];
  const eventKeys = Array.from({ length: options.metrics ?? 1 }, (_, i) => `goal${i}-${newUid().slice(-6)}`);
  const eventUids: string[] = [];
  for (const key of eventKeys) eventUids.push(await createEvent(t, project, key));
  const api = experienceClient(t, project);
  const experience = await api.create({ name: `Test ${newUid().slice(-6)}`, description: '', __type: 'AB_TEST' });
  const body = {
    status: 'ACTIVE',
    variantSplit: 'CUSTOM',
    variants: split.map((share, i) => ({ name: i === 0 ? 'Control' : `Variant ${i}`, trafficDistribution: share })),
    metrics: eventUids.map((event, i) => ({ __type: i === 0 ? 'Primary' : 'Secondary', event })),
    ...(options.audiences ? { targeting: { audiences: options.audiences, audienceCombinationType: 'OR' } } : {}),
  };
  const res = await api.putVersion(experience.uid, experience.latestVersion, body);
  if (res.statusCode !== 200) throw new Error(`activating the A/B test failed: ${res.statusCode} ${res.body}`);
  return { experienceUid: experience.uid, shortUid: experience.shortUid, versionUid: experience.latestVersion, eventUids, eventKeys };
}

export interface RawEventInput {
  visitor: string;
  at: Date | number;
  /** A variant shortUid for an impression, or an event uid for a conversion. */
  variant?: string;
  event?: string;
}

/** Writes raw events straight into edge_events, as POST /edge/events would, at the given times. */
export async function insertRawEvents(t: TestApp, project: TestProject, test: SeededTest, events: readonly RawEventInput[]): Promise<void> {
  const rows = events.map((e) => {
    const receivedAt = new Date(e.at).toISOString();
    const uid = newUid(Date.parse(receivedAt));
    const isImpression = e.variant !== undefined;
    return {
      uid,
      project_uid: project.uid,
      visitor_uid: e.visitor,
      type: isImpression ? ('IMPRESSION' as const) : ('EVENT' as const),
      experience_uid: isImpression ? test.experienceUid : null,
      version_uid: isImpression ? test.versionUid : null,
      variant_short_uid: isImpression ? (e.variant ?? null) : null,
      event_uid: isImpression ? null : (e.event ?? test.eventUids[0] ?? null),
      event_key: null,
      received_at: receivedAt,
      dedup_key: `T|${uid}`,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await t.db.kysely.insertInto('edge_events').values(rows.slice(i, i + 500)).execute();
}
