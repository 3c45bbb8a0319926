import { presetRule } from '../modules/edge/edge-test-seed.js';
import { apiClient, manifestOf, type ApiClient, type ManifestVariants } from './server-process.js';

/**
 * Checks that what one process commits is what every other process serves once 250 ms have
 * passed, with nothing but the change channel to tell them: each reader serves the project
 * just before the write (so it holds the old snapshot and its revision poll is not due), and
 * its first answers after the pause must already be the new ones.
 */
export const FRESH_AFTER_MS = 250;


/** Loopback has no country, so "not US" matches every test visitor and "US" none. */
export const EVERYONE = presetRule('COUNTRY', 'US', true);
export const NO_ONE = presetRule('COUNTRY', 'US');

export interface PropagationProject {
  uid: string;
  api: ApiClient;
  audienceUid: string;
  /** Creates and activates a segmented experience whose one variant is shown to the audience. */
  segmented(name: string): Promise<{ uid: string; shortUid: string; versionUid: string; variants: unknown[] }>;
}

export async function seedPropagationProject(writerUrl: string): Promise<PropagationProject> {
  const org = await apiClient(writerUrl);
  const project = await org.create('/api/projects', { name: `Propagation ${Date.now()}`, description: '' });
  const api = await apiClient(writerUrl, project.uid as string);
  const audience = await api.create('/api/audiences', { name: 'Switch', description: '', definition: EVERYONE });
  return {
    uid: project.uid as string,
    api,
    audienceUid: audience.uid as string,
    async segmented(name) {
      const experience = await api.create('/api/experiences', { name, __type: 'SEGMENTED' });
      const variants = [{ __type: 'SegmentedVariant', name: 'Shown', audiences: [audience.uid], audienceCombinationType: 'OR' }];
      const activated = await api.call('PUT', `/api/experiences/${experience.uid}/versions/${experience.latestVersion}`, { status: 'ACTIVE', variants });
      if (activated.status !== 200) throw new Error(`activate ${name} → ${activated.status} ${JSON.stringify(activated.body)}`);
      return { uid: experience.uid as string, shortUid: experience.shortUid as string, versionUid: experience.latestVersion as string, variants };
    },
  };
}

export interface FreshnessReport {
  /** Manifests answered after the pause that still showed the old state. */
  stale: Array<{ reader: string; manifest: Array<[string, string | null]> }>;
}

/**
 * Serves `before` from every reader, runs `write` through the writer, waits 250 ms, then takes
 * `answers` manifests per reader on fresh connections (so several workers of one port answer)
 * and reports those that do not satisfy `after`.
 */
export async function checkFreshness(options: {
  readers: readonly string[];
  projectUid: string;
  answers?: number;
  before: (manifest: ManifestVariants) => boolean;
  write: () => Promise<void>;
  after: (manifest: ManifestVariants) => boolean;
}): Promise<FreshnessReport> {
  const answers = options.answers ?? 4;
  let visitor = 0;
  const next = () => `visitor-${Date.now()}-${(visitor += 1)}`;
  for (const reader of options.readers) {
    for (let i = 0; i < answers; i += 1) {
      const manifest = await manifestOf(reader, options.projectUid, next());
      if (!options.before(manifest)) throw new Error(`${reader} did not serve the state before the write: ${JSON.stringify([...manifest])}`);
    }
  }
  await options.write();
  await new Promise((resolve) => setTimeout(resolve, FRESH_AFTER_MS));
  const stale: FreshnessReport['stale'] = [];
  // All readers at once, so no reader gets extra time while another is checked.
  await Promise.all(
    options.readers.map(async (reader) => {
      for (let i = 0; i < answers; i += 1) {
        const manifest = await manifestOf(reader, options.projectUid, next());
        if (!options.after(manifest)) stale.push({ reader, manifest: [...manifest] });
      }
    }),
  );
  return { stale };
}

export async function expectStatus(promise: Promise<{ status: number; body: unknown }>, status: number): Promise<void> {
  const response = await promise;
  if (response.status !== status) throw new Error(`expected ${status}, received ${response.status} ${JSON.stringify(response.body)}`);
}
