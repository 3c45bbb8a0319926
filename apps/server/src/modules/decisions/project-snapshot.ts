import { buildSnapshot, type DecisionSnapshot, type SnapshotExperience } from '@tailor/engine';
import type { DecisionInputs } from './decision-inputs.js';

/** What the edge needs to know about one experience besides the engine's decision. */
export interface SnapshotExperienceInfo {
  uid: string;
  /** The ACTIVE version at build time (the analytics period of an impression), or null. */
  versionUid: string | null;
  /** Variant shortUid → payload (undefined when the variant has none) of the active version. */
  variants: ReadonlyMap<string, unknown>;
}

/**
 * An immutable, compiled view of one project at one decision revision: the engine snapshot plus
 * the lookups the edge validates against (attribute keys, experience and variant shortUids), so
 * no edge request reads experiences, audiences or attributes from the database.
 */
export interface ProjectSnapshot {
  readonly projectUid: string;
  readonly revision: number;
  readonly engine: DecisionSnapshot;
  /** Custom attribute key → uid. */
  readonly attributeKeys: ReadonlyMap<string, string>;
  /** Experience shortUid → info, for impressions and payloads. */
  readonly experiences: ReadonlyMap<string, SnapshotExperienceInfo>;
  /** What it was built from: the base of the next incremental rebuild. */
  readonly inputs: DecisionInputs;
}

// A constant salt keeps a visitor's A/B variant when a new version is activated (ADR 0045).
const DEFAULT_SALT = 'tailor';

// The engine reuses an experience compiled from the same object, so one list of inputs is mapped
// once: a rebuild that did not reload the experiences then passes the engine what it saw before.
const mapped = new WeakMap<DecisionInputs['experiences'], SnapshotExperience[]>();

function engineExperiences(inputs: DecisionInputs['experiences']): SnapshotExperience[] {
  const known = mapped.get(inputs);
  if (known !== undefined) return known;
  const experiences = inputs.map((e): SnapshotExperience => ({
    uid: e.uid,
    shortUid: e.shortUid,
    type: e.type,
    tags: e.tags,
    active:
      e.active === null
        ? null
        : {
            versionUid: e.active.versionUid,
            salt: e.active.salt ?? DEFAULT_SALT,
            variants: e.active.variants.map((v) => ({
              shortUid: v.shortUid,
              ...(v.audiences === undefined ? {} : { audiences: v.audiences }),
              ...(v.audienceCombinationType === undefined ? {} : { audienceCombinationType: v.audienceCombinationType }),
              ...(v.trafficDistribution === undefined ? {} : { trafficDistribution: v.trafficDistribution }),
            })),
            targeting: e.active.targeting ?? null,
            ...(e.active.trafficAllocation === undefined ? {} : { trafficAllocation: e.active.trafficAllocation }),
          },
  }));
  mapped.set(inputs, experiences);
  return experiences;
}

/**
 * Compiles `inputs` into the snapshot of `revision`. With `previous` (this project's snapshot the
 * inputs were patched from), only the audiences and experiences that changed are compiled
 * (ADR 0096): inputs the patch did not reload must be the very objects `previous` was built from.
 */
export function compileProjectSnapshot(projectUid: string, revision: number, inputs: DecisionInputs, previous?: ProjectSnapshot): ProjectSnapshot {
  const customAttributes = new Map(inputs.customAttributes.map((a) => [a.uid, { key: a.key, ...(a.name === undefined ? {} : { name: a.name }) }]));
  const experiences = engineExperiences(inputs.experiences);
  const engine = buildSnapshot({ attributeCatalog: { customAttributes }, audiences: inputs.audiences, experiences }, previous === undefined ? undefined : { previous: previous.engine });
  const sameAttributes = previous !== undefined && previous.inputs.customAttributes === inputs.customAttributes;
  const sameExperiences = previous !== undefined && previous.inputs.experiences === inputs.experiences;
  return {
    projectUid,
    revision,
    inputs,
    engine,
    attributeKeys: sameAttributes ? previous.attributeKeys : new Map(inputs.customAttributes.map((a) => [a.key, a.uid])),
    experiences: sameExperiences
      ? previous.experiences
      : new Map(
          inputs.experiences.map((e) => [
            e.shortUid,
            {
              uid: e.uid,
              versionUid: e.active?.versionUid ?? null,
              variants: new Map((e.active?.variants ?? []).map((v) => [v.shortUid, v.payload])),
            },
          ]),
        ),
  };
}
