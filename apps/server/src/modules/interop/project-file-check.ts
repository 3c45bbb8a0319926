import { PROJECT_FILE_FORMAT, PROJECT_FILE_VERSION, ProjectFile, type ImportIssue } from '@tailor/contract';
import { validateDefinition } from '@tailor/engine';
import { unstorableInputIssues } from '../../shared/unstorable-input.js';

/**
 * Checks of a project file that need no database (ADR 0060): the format and its version, the
 * shape, duplicates inside the file, and that every reference resolves to an item of the file.
 * Every problem names the item and its JSON path, so a hand-edited file can be fixed.
 */

function pathOf(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value)?.slice(0, 80) ?? String(value);
}

function checkEnvelope(raw: unknown): ImportIssue[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return [{ path: 'body', message: `Expected a ${PROJECT_FILE_FORMAT} JSON object, received ${Array.isArray(raw) ? 'an array' : describe(raw)}.` }];
  }
  const { format, formatVersion } = raw as Record<string, unknown>;
  if (format !== PROJECT_FILE_FORMAT) {
    return [{ path: 'format', message: `Expected "${PROJECT_FILE_FORMAT}" (a file written by tailor project export), received ${describe(format)}.` }];
  }
  if (formatVersion !== PROJECT_FILE_VERSION) {
    return [
      {
        path: 'formatVersion',
        message: `Expected formatVersion ${PROJECT_FILE_VERSION}, the version this Tailor reads, received ${describe(formatVersion)}. Export the project again with a Tailor of the same release line.`,
      },
    ];
  }
  return [];
}

function duplicates<T>(items: readonly T[], section: string, field: string, keyOf: (item: T) => string, label: (item: T) => string): ImportIssue[] {
  const seen = new Map<string, number>();
  const issues: ImportIssue[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else issues.push({ path: `${section}[${i}].${field}`, message: `${label(item)} has the same ${field} as ${section}[${first}].` });
  });
  return issues;
}

function checkDuplicates(file: ProjectFile): ImportIssue[] {
  return [
    ...duplicates(file.attributes, 'attributes', 'uid', (a) => a.uid, (a) => `Attribute "${a.key}"`),
    ...duplicates(file.attributes, 'attributes', 'key', (a) => a.key, (a) => `Attribute "${a.key}"`),
    ...duplicates(file.attributes, 'attributes', 'name', (a) => a.name.toLowerCase(), (a) => `Attribute "${a.key}"`),
    ...duplicates(file.audiences, 'audiences', 'uid', (a) => a.uid, (a) => `Audience "${a.name}"`),
    ...duplicates(file.audiences, 'audiences', 'name', (a) => a.name.toLowerCase(), (a) => `Audience "${a.name}"`),
    ...duplicates(file.events, 'events', 'uid', (e) => e.uid, (e) => `Event "${e.key}"`),
    ...duplicates(file.events, 'events', 'key', (e) => e.key, (e) => `Event "${e.key}"`),
    ...duplicates(file.experiences, 'experiences', 'uid', (e) => e.uid, (e) => `Experience "${e.name}"`),
  ];
}

/** The engine validates each definition against the file's own attributes (uids as in the file). */
function checkAudiences(file: ProjectFile): ImportIssue[] {
  const catalog = { customAttributes: new Map(file.attributes.map((a) => [a.uid, { key: a.key, name: a.name }])) };
  return file.audiences.flatMap((audience, i) => {
    const result = validateDefinition(audience.definition, catalog);
    if (result.ok) return [];
    return result.issues.map((issue) => ({
      path: `audiences[${i}].definition${issue.path === '' ? '' : `.${issue.path}`}`,
      message:
        issue.code === 'UNKNOWN_ATTRIBUTE'
          ? `Audience "${audience.name}": refers to a custom attribute that is not in the file's attributes (${issue.message.replace('of this project, ', '')}).`
          : `Audience "${audience.name}": ${issue.message}`,
    }));
  });
}

function checkExperiences(file: ProjectFile): ImportIssue[] {
  const audiences = new Set(file.audiences.map((a) => a.uid));
  const events = new Set(file.events.map((e) => e.uid));
  const issues: ImportIssue[] = [];
  file.experiences.forEach((exp, i) => {
    const at = `experiences[${i}]`;
    const missing = (path: string, kind: string, uid: string) =>
      issues.push({ path, message: `Experience "${exp.name}" refers to ${kind} ${uid}, which is not in the file's ${kind === 'audience' ? 'audiences' : 'events'}.` });
    const live = exp.versions.filter((v) => v.status === 'ACTIVE' || v.status === 'PAUSED');
    if (live.length > 1) issues.push({ path: `${at}.versions`, message: `Experience "${exp.name}" has ${live.length} active or paused versions; at most one is allowed.` });
    const drafts = exp.versions.filter((v) => v.status === 'DRAFT');
    if (drafts.length > 1) issues.push({ path: `${at}.versions`, message: `Experience "${exp.name}" has ${drafts.length} draft versions; at most one is allowed.` });
    exp.versions.forEach((v, j) => {
      const vat = `${at}.versions[${j}]`;
      v.variants.forEach((variant, k) =>
        (variant.audiences ?? []).forEach((uid, l) => {
          if (!audiences.has(uid)) missing(`${vat}.variants[${k}].audiences[${l}]`, 'audience', uid);
        }),
      );
      (v.targeting?.audience.audiences ?? []).forEach((uid, l) => {
        if (!audiences.has(uid)) missing(`${vat}.targeting.audience.audiences[${l}]`, 'audience', uid);
      });
      v.metrics.forEach((m, l) => {
        if (!events.has(m.event)) missing(`${vat}.metrics[${l}].event`, 'event', m.event);
      });
    });
  });
  const experiences = new Set(file.experiences.map((e) => e.uid));
  file.priority.forEach((uid, i) => {
    if (!experiences.has(uid)) issues.push({ path: `priority[${i}]`, message: `Expected the uid of an experience in the file, received ${uid}.` });
    else if (file.priority.indexOf(uid) !== i) issues.push({ path: `priority[${i}]`, message: `Experience ${uid} is listed twice.` });
  });
  if (file.priority.length > 0) {
    const listed = new Set(file.priority);
    file.experiences.forEach((e, i) => {
      if (!listed.has(e.uid)) issues.push({ path: `experiences[${i}]`, message: `Experience "${e.name}" is missing from priority.` });
    });
  }
  return issues;
}

export type FileCheck = { ok: true; file: ProjectFile; problems: [] } | { ok: false; file: ProjectFile | null; problems: ImportIssue[] };

/** Reads an already-parsed JSON document as a project file and lists every problem found. */
export function checkProjectFile(raw: unknown): FileCheck {
  const envelope = checkEnvelope(raw);
  if (envelope.length > 0) return { ok: false, file: null, problems: envelope };
  // Over HTTP the body parser has refused these already; `tailor project import` reads the file itself.
  const unstorable = unstorableInputIssues(raw, '', 'body');
  if (unstorable.length > 0) return { ok: false, file: null, problems: unstorable };
  const parsed = ProjectFile.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, file: null, problems: parsed.error.issues.map((i) => ({ path: pathOf(i.path) || 'body', message: i.message })) };
  }
  const file = parsed.data;
  const problems = [...checkDuplicates(file), ...checkAudiences(file), ...checkExperiences(file)];
  return problems.length === 0 ? { ok: true, file, problems: [] } : { ok: false, file, problems };
}
