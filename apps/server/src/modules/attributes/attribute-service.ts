import type { Db } from '../../db/create-db.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, LimitExceededError, NotFoundError, RuleViolationError } from '../../shared/errors.js';
import { newUid } from '../../shared/ids.js';
import type { ChangeEvents } from '../../shared/change-events.js';
import type { AuditRecorder } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { authorizeProject } from '../projects/index.js';
import { countReferrers, type Reference } from '../references/index.js';
import { answerStaleWrite, expectedVersions, isStale, StaleWriteError, uniqueViolation, versionConflict } from '../resources/index.js';
import {
  countAttributeRows,
  deleteAttributeRow,
  findAttributeClashes,
  findAttributeRow,
  insertAttributeRow,
  listAttributeRows,
  updateAttributeRow,
} from './attribute-repository.js';
import { customAttributeView, presetAttributeView, type CustomAttributeView, type PresetAttributeView } from './attribute-view.js';
import { ATTRIBUTE_KEY_CHANGED, findPreset, PRESET_ATTRIBUTES, type AttributeUsage } from './attributes.js';

export interface AttributeServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  changes: ChangeEvents;
  usage: AttributeUsage;
}

export interface AttributeInput {
  name?: string;
  key?: string;
  /** null clears. */
  description?: string | null;
  version?: number;
}

const CONFLICT = 'personalize.ATTRIBUTES.VERSION_CONFLICT';
const NOT_FOUND = 'personalize.ATTRIBUTES.NOT_FOUND';

function notFound(uid: string): NotFoundError {
  return new NotFoundError(NOT_FOUND, `Attribute ${uid} was not found in this project.`);
}

function presetReadOnly(uid: string): RuleViolationError {
  return new RuleViolationError('personalize.ATTRIBUTES.PRESET_READ_ONLY', `${uid} is a preset attribute; presets cannot be changed or deleted.`);
}

function clashError(clash: { key: boolean; name: boolean }, input: { key?: string; name?: string }): ConflictError | null {
  if (clash.key) return new ConflictError('personalize.ATTRIBUTES.DUPLICATE_KEY', `An attribute with the key "${input.key}" already exists in this project.`);
  if (clash.name) return new ConflictError('personalize.ATTRIBUTES.DUPLICATE_NAME', `An attribute named "${input.name}" already exists in this project.`);
  return null;
}

/** Maps a unique-index race to the same 409 the pre-check gives. */
function rethrowUnique(error: unknown, input: { key?: string; name?: string }): never {
  const target = uniqueViolation(error);
  if (target !== null) {
    const clash = target.includes('name') ? { key: false, name: true } : { key: true, name: false };
    throw clashError(clash, input) ?? error;
  }
  throw error;
}

export function createAttributeService(deps: AttributeServiceDeps) {
  const { db, clock, audit, changes, usage } = deps;

  async function current(projectUid: string, uid: string): Promise<CustomAttributeView | undefined> {
    const row = await findAttributeRow(db.kysely, projectUid, uid);
    return row ? customAttributeView(row) : undefined;
  }

  return {
    async listAttributes(actor: Actor, projectUid: string): Promise<Array<PresetAttributeView | (CustomAttributeView & { referenceCount: number })>> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      const [rows, refs] = await Promise.all([listAttributeRows(db.kysely, projectUid), usage.attributeReferences(db.kysely, projectUid)]);
      return [
        ...PRESET_ATTRIBUTES.map(presetAttributeView),
        ...rows.map((row) => ({ ...customAttributeView(row), referenceCount: countReferrers(refs.get(row.uid)) })),
      ];
    },

    async getAttribute(actor: Actor, projectUid: string, uid: string): Promise<PresetAttributeView | CustomAttributeView> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      const preset = findPreset(uid);
      if (preset) return presetAttributeView(preset);
      const found = await current(projectUid, uid);
      if (!found) throw notFound(uid);
      return found;
    },

    async createAttribute(actor: Actor, projectUid: string, input: { name: string; key: string; description?: string | null }): Promise<CustomAttributeView> {
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const at = clock.now().toISOString();
      const uid = newUid(clock.now().getTime());
      const created = await db.kysely
        .transaction()
        .execute(async (trx) => {
          if ((await countAttributeRows(trx, projectUid)) >= access.limits.attributes) {
            throw new LimitExceededError(
              'personalization.ATTRIBUTES.MAX_ATTRIBUTES_COUNT_EXCEEDED',
              `This project already has its limit of ${access.limits.attributes} custom attributes.`,
            );
          }
          const clash = clashError(await findAttributeClashes(trx, projectUid, { key: input.key, name: input.name }), input);
          if (clash) throw clash;
          const row = await insertAttributeRow(trx, { uid, projectUid, name: input.name, key: input.key, description: input.description ?? '' }, actor, at);
          await audit.record(trx, {
            orgUid: access.orgUid,
            projectUid,
            actor,
            action: 'attribute.created',
            resourceType: 'attribute',
            resourceUid: uid,
            revision: row.version,
            summary: { name: row.name, key: row.key },
          });
          return row;
        })
        .catch((error: unknown) => rethrowUnique(error, input));
      await changes.emit({ projectUid, resource: 'attribute', resourceUid: uid });
      return customAttributeView(created);
    },

    /** Changing a key is allowed; the answer carries a warning that edge clients must send the new key (ADR 0023). */
    async updateAttribute(
      actor: Actor,
      projectUid: string,
      uid: string,
      input: AttributeInput,
      ifMatch?: string,
    ): Promise<CustomAttributeView & { warnings?: Array<{ code: string; message: string }> }> {
      if (findPreset(uid)) throw presetReadOnly(uid);
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, input.version);
      const before = await findAttributeRow(db.kysely, projectUid, uid);
      if (!before) throw notFound(uid);
      if (isStale(expected, before.version)) throw versionConflict(CONFLICT, customAttributeView(before));
      const patch = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.key !== undefined ? { key: input.key } : {}),
        ...(input.description !== undefined ? { description: input.description ?? '' } : {}),
      };
      const at = clock.now().toISOString();
      const updated = await answerStaleWrite(
        () =>
          db.kysely
            .transaction()
            .execute(async (trx) => {
              const clash = clashError(
                await findAttributeClashes(trx, projectUid, {
                  ...(patch.key !== undefined && patch.key !== before.key ? { key: patch.key } : {}),
                  ...(patch.name !== undefined && patch.name.toLowerCase() !== before.name.toLowerCase() ? { name: patch.name } : {}),
                  exceptUid: uid,
                }),
                patch,
              );
              if (clash) throw clash;
              const row = await updateAttributeRow(trx, projectUid, uid, expected[0], patch, actor, at);
              if (!row) throw new StaleWriteError();
              const changed: Record<string, { from: string; to: string }> = {};
              for (const field of ['name', 'key', 'description'] as const) {
                if (row[field] !== before[field]) changed[field] = { from: before[field], to: row[field] };
              }
              await audit.record(trx, {
                orgUid: access.orgUid,
                projectUid,
                actor,
                action: 'attribute.updated',
                resourceType: 'attribute',
                resourceUid: uid,
                revision: row.version,
                summary: { changes: changed },
              });
              return row;
            })
            .catch((error: unknown) => rethrowUnique(error, patch)),
        { conflictCode: CONFLICT, notFoundCode: NOT_FOUND, reread: () => current(projectUid, uid) },
      );
      await changes.emit({ projectUid, resource: 'attribute', resourceUid: uid });
      const view = customAttributeView(updated);
      if (updated.key === before.key) return view;
      const used = countReferrers((await usage.attributeReferences(db.kysely, projectUid, [uid])).get(uid));
      const message =
        `The key changed from "${before.key}" to "${updated.key}": edge clients must now send "${updated.key}" ` +
        '(Personalize.set / PATCH /edge/user-attributes); values stored under the old key no longer match' +
        (used > 0 ? `, and the ${used} audience(s) using this attribute now read the new key.` : '.');
      return { ...view, warnings: [{ code: ATTRIBUTE_KEY_CHANGED, message }] };
    },

    async deleteAttribute(actor: Actor, projectUid: string, uid: string, ifMatch?: string): Promise<void> {
      if (findPreset(uid)) throw presetReadOnly(uid);
      const access = await authorizeProject(db.kysely, actor, projectUid, 'edit');
      const expected = expectedVersions(ifMatch, undefined);
      const before = await findAttributeRow(db.kysely, projectUid, uid);
      if (!before) throw notFound(uid);
      if (isStale(expected, before.version)) throw versionConflict(CONFLICT, customAttributeView(before));
      await answerStaleWrite(
        () =>
          db.kysely.transaction().execute(async (trx) => {
            // Read inside the transaction, so an audience saved meanwhile is seen or waits.
            const references = (await usage.attributeReferences(trx, projectUid, [uid])).get(uid) ?? [];
            if (references.some((r) => r.blocking)) {
              throw new ConflictError(
                'personalize.ATTRIBUTES.REFERENCED',
                `Attribute "${before.name}" is used by ${countReferrers(references)} audience(s); remove it from their rules first.`,
                { references },
              );
            }
            if (!(await deleteAttributeRow(trx, projectUid, uid, expected[0]))) throw new StaleWriteError();
            await audit.record(trx, {
              orgUid: access.orgUid,
              projectUid,
              actor,
              action: 'attribute.deleted',
              resourceType: 'attribute',
              resourceUid: uid,
              revision: before.version,
              summary: { name: before.name, key: before.key },
            });
          }),
        { conflictCode: CONFLICT, notFoundCode: NOT_FOUND, reread: () => current(projectUid, uid) },
      );
      await changes.emit({ projectUid, resource: 'attribute', resourceUid: uid });
    },

    async attributeReferences(actor: Actor, projectUid: string, uid: string): Promise<Reference[]> {
      await authorizeProject(db.kysely, actor, projectUid, 'read');
      if (!findPreset(uid) && !(await findAttributeRow(db.kysely, projectUid, uid))) throw notFound(uid);
      return (await usage.attributeReferences(db.kysely, projectUid, [uid])).get(uid) ?? [];
    },
  };
}

export type AttributeService = ReturnType<typeof createAttributeService>;
