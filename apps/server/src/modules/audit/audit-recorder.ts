import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { newUid } from '../../shared/ids.js';
import type { AuditEntryInput } from './audit.js';
import { insertAuditEntry } from './audit-repository.js';

/**
 * Services record inside their own transaction (pass the `trx`), so an entry exists exactly when
 * the change it describes was committed.
 */
export interface AuditRecorder {
  record(executor: Kysely<Database>, entry: AuditEntryInput): Promise<void>;
}

export function createAuditRecorder(clock: Clock): AuditRecorder {
  return {
    async record(executor, entry) {
      const at = clock.now();
      await insertAuditEntry(executor, {
        uid: newUid(at.getTime()),
        orgUid: entry.orgUid,
        projectUid: entry.projectUid,
        actorUid: entry.actor?.userUid ?? null,
        actorName: entry.actor?.name ?? 'System',
        actorAddress: entry.actor?.address ?? null,
        action: entry.action,
        resourceType: entry.resourceType,
        resourceUid: entry.resourceUid,
        revision: entry.revision ?? null,
        summary: entry.summary,
        createdAt: at.toISOString(),
      });
    },
  };
}
