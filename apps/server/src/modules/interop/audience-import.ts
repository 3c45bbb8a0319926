import type { ImportIssue, ProjectFile } from '@tailor/contract';
import type { Actor } from '../identity/index.js';
import type { UnitOfWorkServices } from './unit-of-work.js';

type FileAudience = ProjectFile['audiences'][number];

/** Rewrites custom-attribute references old uid → new uid; preset references and unknown uids stay. */
export function remapDefinition(value: unknown, attributeIds: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => remapDefinition(v, attributeIds));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  // fromEntries defines each key as data, whatever its name; assigning onto `{}` would not.
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([key, v]) => [key, remapDefinition(v, attributeIds)]));
  if (node.__type === 'CustomAttributeReference' && typeof node.ref === 'string') out.ref = attributeIds.get(node.ref) ?? node.ref;
  return out;
}

/** Every custom-attribute uid a definition refers to. */
function customRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => customRefs(v, out));
  else if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (node.__type === 'CustomAttributeReference' && typeof node.ref === 'string') out.push(node.ref);
    Object.values(node).forEach((v) => customRefs(v, out));
  }
  return out;
}

/**
 * Re-creates an audience revision by revision (ADR 0061): the first revision creates it, each later
 * one updates it, and the current content comes last. A past revision is skipped, with a warning,
 * when it refers to an attribute no longer in the file or used a name another audience now has.
 * Authors and times of past revisions are not kept: the history shows the importer.
 */
export async function replayAudienceHistory(
  s: UnitOfWorkServices,
  actor: Actor,
  projectUid: string,
  audience: FileAudience,
  at: string,
  attributeIds: ReadonlyMap<string, string>,
  finalNames: ReadonlySet<string>,
  warnings: ImportIssue[],
): Promise<{ uid: string; revisions: number }> {
  const history = [...(audience.history ?? [])].sort((a, b) => a.number - b.number);
  const steps: Array<{ name: string; description: string; definition: unknown }> = [];
  history.forEach((revision, i) => {
    const path = `${at}.history[${i}]`;
    const dangling = customRefs(revision.definition).filter((ref) => !attributeIds.has(ref));
    const nameTaken = revision.name.toLowerCase() !== audience.name.toLowerCase() && finalNames.has(revision.name.toLowerCase());
    if (dangling.length > 0 || nameTaken) {
      const why = dangling.length > 0 ? `it refers to attribute ${dangling[0] ?? ''}, which is not in the file` : `its name "${revision.name}" is now another audience's`;
      warnings.push({ path, message: `Audience "${audience.name}": revision ${revision.number} was not re-created because ${why}.` });
      return;
    }
    steps.push({ name: revision.name, description: revision.description, definition: revision.definition });
  });
  steps.push({ name: audience.name, description: audience.description, definition: audience.definition });
  let uid: string | null = null;
  let revisions = 0;
  let last = '';
  for (const step of steps) {
    const input = { name: step.name, description: step.description, definition: remapDefinition(step.definition, attributeIds) };
    const fingerprint = JSON.stringify(input);
    if (fingerprint === last) continue;
    last = fingerprint;
    uid = uid === null ? (await s.audiences.createAudience(actor, projectUid, input)).uid : (await s.audiences.updateAudience(actor, projectUid, uid, input)).uid;
    revisions += 1;
  }
  return { uid: uid ?? '', revisions };
}
