import { describeImpactFigures } from '@tailor/contract';
import { MAX_PROJECT_REGEX_PROGRAM, regexProgramSize } from '@tailor/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { ConflictError, LimitExceededError } from '../../shared/errors.js';
import type { AuditRecorder } from '../audit/index.js';
import { StaleWriteError, uniqueViolation } from '../resources/index.js';
import type { Audience, ImpactFigures, RevisionAction } from './audience.js';
import { insertAudienceRow, insertRevisionRow, isAudienceNameTaken, listAudienceRows, updateAudienceRow, type AudienceContent } from './audience-repository.js';
import { summarizeChange } from './change-summary.js';

type Actor = { userUid: string; name: string };

export function duplicateName(name: string): ConflictError {
  return new ConflictError('personalize.AUDIENCES.DUPLICATE_NAME', `An audience named "${name}" already exists in this project.`);
}

/** Maps the unique index's refusal (two writers passing the name check together) to the same 409. */
export function rethrowDuplicate(error: unknown, name: string): never {
  if (uniqueViolation(error) !== null) throw duplicateName(name);
  throw error;
}

interface WriteContext {
  trx: Kysely<Database>;
  audit: AuditRecorder;
  orgUid: string;
  projectUid: string;
  actor: Actor;
  at: string;
}

async function assertNameFree(ctx: WriteContext, name: string, exceptUid?: string): Promise<void> {
  if (await isAudienceNameTaken(ctx.trx, ctx.projectUid, name, exceptUid)) throw duplicateName(name);
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Regex rules are the one condition whose size grows with what was written: the project's
 * audiences together may compile to at most MAX_PROJECT_REGEX_PROGRAM instructions, each distinct
 * pattern counted once (ADR 0080).
 * A save that does not grow the total passes, so that a project left over the limit (by a
 * concurrent save) can still be edited back under it.
 */
async function assertRegexBudget(ctx: WriteContext, content: AudienceContent, before?: Audience): Promise<void> {
  const own = regexProgramSize([content.definition]);
  if (own === 0) return;
  const others = (await listAudienceRows(ctx.trx, ctx.projectUid)).filter((a) => a.uid !== before?.uid).map((a) => a.definition);
  const total = regexProgramSize([...others, content.definition]);
  if (total > MAX_PROJECT_REGEX_PROGRAM && (before === undefined || total > regexProgramSize([...others, before.definition]))) {
    throw new LimitExceededError(
      'personalize.AUDIENCES.REGEX_BUDGET_EXCEEDED',
      `The regular expressions of a project's audiences may compile to at most ${count(MAX_PROJECT_REGEX_PROGRAM)} instructions in all; ` +
        `with this audience's ${count(own)}, this project's would come to ${count(total)}. Use fewer or shorter patterns, or smaller repeat counts.`,
    );
  }
}

/**
 * Every audience write stores the row, a revision numbered like the new version, and an audit
 * entry, all in the caller's transaction: they exist together or not at all.
 */
export async function insertAudience(ctx: WriteContext, uid: string, content: AudienceContent, impact?: ImpactFigures): Promise<Audience> {
  await assertNameFree(ctx, content.name);
  await assertRegexBudget(ctx, content);
  const row = await insertAudienceRow(ctx.trx, uid, ctx.projectUid, content, ctx.actor, ctx.at);
  const summary = summarizeChange(null, content);
  if (impact !== undefined) summary.impact = impact;
  await recordRevision(ctx, row, 'created', null, summary);
  return row;
}

export async function rewriteAudience(
  ctx: WriteContext,
  before: Audience,
  expectedVersion: number | undefined,
  content: AudienceContent,
  restoredFrom: number | null,
  impact?: ImpactFigures,
): Promise<Audience> {
  if (content.name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(ctx, content.name, before.uid);
  await assertRegexBudget(ctx, content, before);
  const row = await updateAudienceRow(ctx.trx, ctx.projectUid, before.uid, expectedVersion, content, ctx.actor, ctx.at);
  if (!row) throw new StaleWriteError();
  const summary = summarizeChange(before, content);
  if (restoredFrom !== null) summary.restoredFrom = restoredFrom;
  if (impact !== undefined) summary.impact = impact;
  await recordRevision(ctx, row, restoredFrom === null ? 'updated' : 'restored', restoredFrom, summary);
  return row;
}

async function recordRevision(
  ctx: WriteContext,
  row: Audience,
  action: RevisionAction,
  restoredFrom: number | null,
  summary: ReturnType<typeof summarizeChange>,
): Promise<void> {
  await insertRevisionRow(ctx.trx, {
    audienceUid: row.uid,
    projectUid: ctx.projectUid,
    number: row.version,
    action,
    restoredFrom,
    name: row.name,
    description: row.description,
    definition: row.definition,
    summary,
    createdAt: ctx.at,
    createdBy: ctx.actor.userUid,
    createdByUserName: ctx.actor.name,
  });
  await ctx.audit.record(ctx.trx, {
    orgUid: ctx.orgUid,
    projectUid: ctx.projectUid,
    actor: ctx.actor,
    action: `audience.${action}`,
    resourceType: 'audience',
    resourceUid: row.uid,
    revision: row.version,
    // The impact figures also as the sentence the console shows (ADR 0071).
    summary: { audienceName: row.name, ...summary, ...(summary.impact ? { impactText: describeImpactFigures(summary.impact) } : {}) },
  });
}
