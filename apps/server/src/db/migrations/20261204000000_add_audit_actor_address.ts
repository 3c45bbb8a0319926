import type { Kysely } from 'kysely';

/** The client address a change came from (through trusted proxies only), beside who made it. */
export function addAuditActorAddress() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_entries').addColumn('actor_address', 'varchar(64)').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_entries').dropColumn('actor_address').execute();
    },
  };
}
