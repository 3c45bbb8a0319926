import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../create-db.js';
import { columnTypes } from '../dialect-types.js';

/** Experiences, their versions, and the per-version index of audiences and events they use. */
export function createExperiences(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('experiences')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('short_uid', 'varchar(16)', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('tags', t.json, (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('variant_group', 'varchar(24)', (c) => c.notNull())
        .addColumn('variant_counter', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cms_variants', t.json, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_name', 'text', (c) => c.notNull())
        .addUniqueConstraint('experiences_project_short_uid_unique', ['project_uid', 'short_uid'])
        .execute();
      await db.schema.createIndex('experiences_project_priority_idx').on('experiences').columns(['project_uid', 'priority']).execute();

      await db.schema
        .createTable('experience_versions')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('experience_uid', 'varchar(24)', (c) => c.notNull().references('experiences.uid').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('variants', t.json, (c) => c.notNull())
        .addColumn('targeting', t.json)
        .addColumn('metrics', t.json, (c) => c.notNull())
        .addColumn('variant_split', 'varchar(16)')
        .addColumn('activated_at', t.time)
        .addColumn('activated_by', 'varchar(24)')
        .addColumn('activated_by_user_name', 'text')
        .addColumn('archived_at', t.time)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_name', 'text', (c) => c.notNull())
        .addUniqueConstraint('experience_versions_number_unique', ['experience_uid', 'number'])
        .execute();
      await db.schema.createIndex('experience_versions_project_status_idx').on('experience_versions').columns(['project_uid', 'status']).execute();
      // The state machine's invariants, also under concurrent writers: one draft and one live version at most.
      await db.schema
        .createIndex('experience_versions_one_draft')
        .on('experience_versions')
        .column('experience_uid')
        .unique()
        .where(sql.ref('status'), '=', 'DRAFT')
        .execute();
      await db.schema
        .createIndex('experience_versions_one_live')
        .on('experience_versions')
        .column('experience_uid')
        .unique()
        .where(sql.ref('status'), 'in', ['ACTIVE', 'PAUSED'])
        .execute();

      await db.schema
        .createTable('experience_version_references')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('experience_uid', 'varchar(24)', (c) => c.notNull().references('experiences.uid').onDelete('cascade'))
        .addColumn('version_uid', 'varchar(24)', (c) => c.notNull().references('experience_versions.uid').onDelete('cascade'))
        .addColumn('target_kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('target_uid', 'varchar(24)', (c) => c.notNull())
        .addColumn('via', 'varchar(16)', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('experience_version_references_pk', ['version_uid', 'path'])
        .execute();
      await db.schema
        .createIndex('experience_version_references_target_idx')
        .on('experience_version_references')
        .columns(['project_uid', 'target_kind', 'target_uid'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['experience_version_references', 'experience_versions', 'experiences']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
