import type { Kysely } from 'kysely';
import type { DialectName } from '../create-db.js';
import { columnTypes } from '../dialect-types.js';

/** Attributes, audiences with their revisions, and events (issue 4). */
export function createAudiences(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('attributes')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        // lower(name): names are unique per project regardless of case.
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('key', 'varchar(64)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_name', 'text', (c) => c.notNull())
        .addUniqueConstraint('attributes_project_key_unique', ['project_uid', 'key'])
        .addUniqueConstraint('attributes_project_name_unique', ['project_uid', 'name_key'])
        .execute();

      await db.schema
        .createTable('audiences')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_name', 'text', (c) => c.notNull())
        .addUniqueConstraint('audiences_project_name_unique', ['project_uid', 'name_key'])
        .execute();

      await db.schema
        .createTable('audience_revisions')
        // No foreign key to audiences: history outlives a deleted audience (ADR 0021); it goes with the project.
        .addColumn('audience_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('action', 'varchar(16)', (c) => c.notNull())
        .addColumn('restored_from', 'integer')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('summary', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audience_revisions_pk', ['audience_uid', 'number'])
        .execute();
      await db.schema.createIndex('audience_revisions_project_idx').on('audience_revisions').column('project_uid').execute();

      await db.schema
        .createTable('events')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('key', 'varchar(100)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_name', 'text', (c) => c.notNull())
        .addUniqueConstraint('events_project_key_unique', ['project_uid', 'key'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['events', 'audience_revisions', 'audiences', 'attributes']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
