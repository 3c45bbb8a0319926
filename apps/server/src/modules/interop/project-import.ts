import type { ImportIssue, ImportReport, ProjectFile, ProjectFileExperience, ProjectFileVersion } from '@tailor/contract';
import { ConflictError, DomainError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import { remapDefinition, replayAudienceHistory } from './audience-import.js';
import type { UnitOfWorkServices } from './unit-of-work.js';

export interface ImportProgress {
  section: 'attributes' | 'audiences' | 'events' | 'experiences' | 'priority';
  done: number;
  total: number;
}

export interface ImportTarget {
  /** An existing, empty project; without it a new project is created. */
  into?: string | undefined;
  /** Name of the new project (default: the file's). */
  name?: string | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

type Counts = ImportReport['created'];

const TARGET_NOT_EMPTY = 'personalize.IMPORT.TARGET_NOT_EMPTY';
const DUPLICATE_NAME = 'personalize.PROJECTS.DUPLICATE_NAME';

/** What the file will create, for dry-run reports (history revisions count beyond the first). */
export function countsOf(file: ProjectFile): Counts {
  return {
    attributes: file.attributes.length,
    audiences: file.audiences.length,
    audienceRevisions: file.audiences.reduce((n, a) => n + Math.max(a.history?.length ?? 1, 1), 0),
    events: file.events.length,
    experiences: file.experiences.length,
    versions: file.experiences.reduce((n, e) => n + e.versions.length, 0),
  };
}

/** The project the file goes into: a new one (name clash → 409) or an existing, empty one. */
async function resolveTarget(s: UnitOfWorkServices, actor: Actor, file: ProjectFile, target: ImportTarget): Promise<{ uid: string; name: string }> {
  if (target.into === undefined) {
    const name = target.name ?? file.project.name;
    try {
      const created = await s.projects.createProject(actor, { name, description: file.project.description });
      const limits = file.project.limits ?? {};
      if (Object.keys(limits).length > 0) {
        if (actor.orgRole !== 'OWNER') {
          throw new ForbiddenError(
            'personalize.PROJECTS.FORBIDDEN',
            `The file carries project limits (${JSON.stringify(limits)}) that only the organization Owner may set. Import it as the Owner, or into an empty project with those limits (--into, ?into=).`,
          );
        }
        await s.projects.updateLimits(actor, created.uid, limits);
      }
      return { uid: created.uid, name: created.name };
    } catch (error) {
      if (error instanceof ConflictError && error.code === DUPLICATE_NAME) {
        throw new ConflictError(
          DUPLICATE_NAME,
          `A project named "${name}" already exists. Give the new project another name (--name, ?name=) or import into an empty project (--into, ?into=).`,
        );
      }
      throw error;
    }
  }
  await authorizeProject(s.kysely, actor, target.into, 'manage', 'into');
  const project = await s.projects.getProject(actor, target.into);
  const counts = {
    attributes: (await s.attributes.listAttributes(actor, project.uid)).filter((a) => a.__type === 'CUSTOM').length,
    audiences: (await s.audiences.listAudiences(actor, project.uid)).length,
    events: (await s.events.listEvents(actor, project.uid)).length,
    experiences: (await s.experiences.listExperiences(actor, project.uid)).length,
  };
  const held = Object.entries(counts).filter(([, n]) => n > 0);
  if (held.length > 0) {
    throw new ConflictError(
      TARGET_NOT_EMPTY,
      `Project "${project.name}" is not empty (it has ${held.map(([k, n]) => `${n} ${k}`).join(', ')}). Import into an empty project, or into a new one.`,
      { counts },
    );
  }
  return { uid: project.uid, name: project.name };
}

/** Live history first (archived in the order they went live), then the live version, then the draft. */
function replayOrder(versions: readonly ProjectFileVersion[]): ProjectFileVersion[] {
  const rank = (v: ProjectFileVersion) => (v.status === 'ARCHIVED' ? 0 : v.status === 'DRAFT' ? 2 : 1);
  const time = (v: ProjectFileVersion) => v.archivedAt ?? v.activatedAt ?? '';
  return [...versions].sort((a, b) => rank(a) - rank(b) || time(a).localeCompare(time(b)) || a.versionNumber - b.versionNumber);
}

/**
 * Re-creates an experience and its versions through the version use cases, so every rule (state
 * machine, splits, limits, `_cms`) applies. Variant shortUids are minted anew; a variant keeps one
 * new shortUid across all versions that share it in the file.
 */
async function importExperience(
  s: UnitOfWorkServices,
  actor: Actor,
  projectUid: string,
  exp: ProjectFileExperience,
  ids: { audiences: Map<string, string>; events: Map<string, string> },
): Promise<{ uid: string; versions: number }> {
  const created = await s.experiences.createExperience(actor, projectUid, { name: exp.name, description: exp.description, type: exp.__type, tags: exp.tags });
  const shortUids = new Map<string, string>();
  let first = true;
  for (const v of replayOrder(exp.versions)) {
    const body = {
      status: v.status === 'ARCHIVED' ? ('ACTIVE' as const) : v.status,
      variants: v.variants.map((variant) => ({
        __type: variant.__type,
        name: variant.name,
        ...(shortUids.has(variant.shortUid) ? { shortUid: shortUids.get(variant.shortUid) } : {}),
        ...(variant.audiences ? { audiences: variant.audiences.map((a) => ids.audiences.get(a) ?? a) } : {}),
        ...(variant.audienceCombinationType ? { audienceCombinationType: variant.audienceCombinationType } : {}),
        ...(variant.trafficDistribution === undefined ? {} : { trafficDistribution: variant.trafficDistribution }),
        ...(variant.payload === undefined ? {} : { payload: variant.payload }),
      })),
      targeting: v.targeting
        ? { audience: { audiences: v.targeting.audience.audiences.map((a) => ids.audiences.get(a) ?? a), audienceCombinationType: v.targeting.audience.audienceCombinationType } }
        : null,
      metrics: v.metrics.map((m) => ({ __type: m.__type, event: ids.events.get(m.event) ?? m.event, ...(m.name === undefined ? {} : { name: m.name }) })),
      variantSplit: v.variantSplit,
    };
    const written = first
      ? await s.versions.updateVersion(actor, projectUid, created.uid, created.latestVersion, body, undefined)
      : await s.versions.createVersion(actor, projectUid, created.uid, body);
    first = false;
    v.variants.forEach((variant, i) => {
      const now = written.variants[i];
      if (now) shortUids.set(variant.shortUid, now.shortUid);
    });
  }
  return { uid: created.uid, versions: exp.versions.length };
}

/** Names an error raised while writing item `path`, keeping its own paths under it. */
function underPath(error: unknown, path: string, label: string): unknown {
  if (error instanceof ValidationError) return new ValidationError(error.issues.map((i) => ({ path: i.path ? `${path}.${i.path}` : path, message: `${label}: ${i.message}` })));
  // A broken rule or a limit is the file's problem at that item; access and conflicts keep their status.
  if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'limit')) return new ValidationError([{ path, message: `${label}: ${error.message}` }]);
  return error;
}

/** Writes a checked file into the target; runs inside the caller's transaction. */
export async function writeProject(
  s: UnitOfWorkServices,
  actor: Actor,
  file: ProjectFile,
  target: ImportTarget,
): Promise<{ project: { uid: string; name: string }; created: Counts; warnings: ImportIssue[] }> {
  const progress = target.onProgress ?? (() => undefined);
  const project = await resolveTarget(s, actor, file, target);
  const created: Counts = { attributes: 0, audiences: 0, audienceRevisions: 0, events: 0, experiences: 0, versions: 0 };
  const warnings: ImportIssue[] = [];

  const attributeIds = new Map<string, string>();
  for (const [i, a] of file.attributes.entries()) {
    const made = await s.attributes.createAttribute(actor, project.uid, { key: a.key, name: a.name, description: a.description }).catch((e: unknown) => {
      throw underPath(e, `attributes[${i}]`, `Attribute "${a.key}"`);
    });
    attributeIds.set(a.uid, made.uid);
    created.attributes += 1;
    progress({ section: 'attributes', done: i + 1, total: file.attributes.length });
  }

  const audienceIds = new Map<string, string>();
  const finalNames = new Set(file.audiences.map((a) => a.name.toLowerCase()));
  for (const [i, a] of file.audiences.entries()) {
    const at = `audiences[${i}]`;
    const made = await (a.history && a.history.length > 0
      ? replayAudienceHistory(s, actor, project.uid, a, at, attributeIds, finalNames, warnings)
      : s.audiences
          .createAudience(actor, project.uid, { name: a.name, description: a.description, definition: remapDefinition(a.definition, attributeIds) })
          .then((view) => ({ uid: view.uid, revisions: 1 }))
    ).catch((e: unknown) => {
      throw underPath(e, at, `Audience "${a.name}"`);
    });
    audienceIds.set(a.uid, made.uid);
    created.audiences += 1;
    created.audienceRevisions += made.revisions;
    progress({ section: 'audiences', done: i + 1, total: file.audiences.length });
  }

  const eventIds = new Map<string, string>();
  for (const [i, e] of file.events.entries()) {
    const made = await s.events.createEvent(actor, project.uid, { key: e.key, description: e.description }).catch((err: unknown) => {
      throw underPath(err, `events[${i}]`, `Event "${e.key}"`);
    });
    eventIds.set(e.uid, made.uid);
    created.events += 1;
    progress({ section: 'events', done: i + 1, total: file.events.length });
  }

  // Created in priority order so ranks line up even before the explicit priority write.
  const index = new Map(file.experiences.map((e, i) => [e.uid, i]));
  const order = file.priority.length > 0 ? file.priority.map((uid) => index.get(uid) ?? -1).filter((i) => i >= 0) : file.experiences.map((_, i) => i);
  const experienceIds = new Map<string, string>();
  for (const [n, i] of order.entries()) {
    const exp = file.experiences[i];
    if (!exp) continue;
    const made = await importExperience(s, actor, project.uid, exp, { audiences: audienceIds, events: eventIds }).catch((e: unknown) => {
      throw underPath(e, `experiences[${i}]`, `Experience "${exp.name}"`);
    });
    experienceIds.set(exp.uid, made.uid);
    created.experiences += 1;
    created.versions += made.versions;
    progress({ section: 'experiences', done: n + 1, total: order.length });
  }
  if (experienceIds.size > 0) {
    await s.experiences.setPriority(actor, project.uid, order.map((i) => experienceIds.get(file.experiences[i]?.uid ?? '') ?? ''));
    progress({ section: 'priority', done: 1, total: 1 });
  }
  return { project, created, warnings };
}
