import { sql, type Kysely } from 'kysely';

/**
 * Invitation links are credentials: only their SHA-256 digest stays in the database, as for
 * session tokens. Open invitations keep working, since accepting one has always looked it up by
 * `token_hash`; what goes is re-showing an old link, so a manager who lost one issues a new one.
 */
export function dropPlainInvitationTokens() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('invitations').dropColumn('token').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      // The secrets are gone for good: links of invitations made before the rollback stay unshowable.
      await db.schema.alterTable('invitations').addColumn('token', 'text', (c) => c.notNull().defaultTo(sql`''`)).execute();
    },
  };
}
