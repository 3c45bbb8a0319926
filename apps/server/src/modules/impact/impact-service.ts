import { performance } from 'node:perf_hooks';
import type { RuleCombination } from '@tailor/engine';
import type { Db } from '../../db/create-db.js';
import { audienceNotFound, checkDefinition, findAudiencesByUids } from '../audiences/index.js';
import type { DecisionCache } from '../decisions/index.js';
import { listExperiencesForDecisions } from '../experiences/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import type { ReferenceSource } from '../references/index.js';
import type { ImpactTotals } from './impact-examples.js';
import { createImpactAccumulator, planImpact, type RuleResults } from './impact.js';
import type { ImpactSampleSource } from './impact-sample.js';

export interface ImpactServiceDeps {
  db: Db;
  /** The edge's snapshot cache: the preview decides from exactly what the edge serves. */
  decisions: DecisionCache;
  references: ReferenceSource;
  sample: ImpactSampleSource;
  /** Wall-time budget (ms) of one preview; past it the answer is partial (ADR 0070). */
  budgetMs?: number;
  /** Visitors evaluated between two clock readings. */
  chunkSize?: number;
  /** How long (ms) the preview may hold the event loop before it yields. */
  sliceMs?: number;
  monotonicNow?: () => number;
}

export interface ImpactInput {
  name?: string;
  description?: string | null;
  definition?: unknown;
}

export interface ImpactResult extends ImpactTotals {
  audienceUid: string | null;
  available: number;
  partial: boolean;
  elapsedMs: number;
  message?: string;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createImpactService(deps: ImpactServiceDeps) {
  const { db } = deps;
  const budgetMs = deps.budgetMs ?? 2000;
  const chunkSize = deps.chunkSize ?? 250;
  const sliceMs = deps.sliceMs ?? 8;
  const now = deps.monotonicNow ?? (() => performance.now());

  /** Names of the experiences that use the audience, from the reference read model. */
  async function experienceNames(projectUid: string, audienceUid: string): Promise<Map<string, string>> {
    const refs = (await deps.references.audienceReferences(db.kysely, projectUid, [audienceUid])).get(audienceUid) ?? [];
    return new Map(refs.filter((r) => r.kind === 'experience').map((r) => [r.uid, r.name]));
  }

  /** Experience uid → variant shortUid → name, of the ACTIVE versions. */
  async function readVariantNames(projectUid: string): Promise<Map<string, Map<string, string>>> {
    const experiences = await listExperiencesForDecisions(db.kysely, projectUid);
    return new Map(experiences.map((e) => [e.uid, new Map((e.active?.variants ?? []).map((v) => [v.shortUid, v.name]))]));
  }

  return {
    /**
     * Who a proposed audience moves among the project's recent visitors, and which ACTIVE
     * experiences would then decide differently for them. `audienceUid` null previews a new
     * audience. The proposal is validated exactly as a save validates it (same 400).
     */
    async previewImpact(actor: Actor, projectUid: string, audienceUid: string | null, input: ImpactInput): Promise<ImpactResult> {
      const started = now();
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      let saved: RuleCombination | null = null;
      if (audienceUid !== null) {
        const [found] = await findAudiencesByUids(db.kysely, projectUid, [audienceUid]);
        if (found === undefined) throw audienceNotFound(audienceUid);
        saved = found.definition;
      }
      const proposed =
        input.definition === undefined && saved !== null ? saved : await checkDefinition(db.kysely, projectUid, input.definition, access.limits.rulesPerAudience);
      const [active, sample] = await Promise.all([deps.decisions.get(projectUid), deps.sample.get(projectUid)]);
      if (active === null) throw new Error(`Project ${projectUid} has no decision snapshot although it exists.`);
      // Experience and variant names change with the snapshot revision only (every experience
      // change bumps it): read once per revision and sample. A failed read only loses the names.
      const [names, variantNames] = await Promise.all([
        audienceUid === null
          ? new Map<string, string>()
          : sample.memo(`experience-names\u0000${active.revision}\u0000${audienceUid}`, () => experienceNames(projectUid, audienceUid).catch(() => new Map<string, string>())),
        sample.memo(`variant-names\u0000${active.revision}`, () => readVariantNames(projectUid).catch(() => new Map<string, Map<string, string>>())),
      ]);
      const plan = planImpact(active, audienceUid, saved, proposed, names, variantNames);
      const rows = sample.visitors;
      const size = rows.length;
      const memos = { rules: sample.memo(plan.rulesKey, (): RuleResults => new Map()), saved: sample.memo(plan.memoKey, () => plan.savedState(size)) };
      const totals = createImpactAccumulator(plan, memos, size);
      // Time slices with a yield between them: a manifest queued behind a preview waits at most one
      // slice (plus one chunk), and the preview is not starved by yielding after every few visitors.
      let partial = false;
      let sliceStart = started;
      for (let i = 0; i < rows.length; i += chunkSize) {
        const t = now();
        if (t - started >= budgetMs) {
          partial = true;
          break;
        }
        if (t - sliceStart >= sliceMs) {
          await yieldToEventLoop();
          sliceStart = now();
        }
        totals.add(rows, i, Math.min(rows.length, i + chunkSize));
      }
      const result = totals.result();
      const elapsedMs = Math.round(now() - started);
      const base = { audienceUid, available: rows.length, partial, elapsedMs, ...result };
      if (rows.length === 0) {
        return { ...base, message: 'No visitors were seen recently in this project, so there is nothing to preview yet. The preview samples visitors the Edge API has seen in the last 30 days.' };
      }
      if (partial) {
        return {
          ...base,
          message: `The preview stopped after ${budgetMs / 1000} s: it evaluated the ${result.sampleSize.toLocaleString('en-US')} most recent of ${rows.length.toLocaleString('en-US')} recent visitors.`,
        };
      }
      return base;
    },
  };
}

export type ImpactService = ReturnType<typeof createImpactService>;
