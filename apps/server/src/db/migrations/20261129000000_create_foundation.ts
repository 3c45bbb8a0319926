import type { Kysely } from 'kysely';
import type { DialectName } from '../create-db.js';
import { columnTypes } from '../dialect-types.js';

export function createFoundation(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('organizations')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('org_uid', 'varchar(24)', (c) => c.notNull().references('organizations.uid').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('first_name', 'text', (c) => c.notNull())
        .addColumn('last_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('org_role', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_uid', 'varchar(24)', (c) => c.notNull().references('users.uid').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user_uid_idx').on('sessions').column('user_uid').execute();

      await db.schema
        .createTable('projects')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('org_uid', 'varchar(24)', (c) => c.notNull().references('organizations.uid').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('connected_stack_api_key', 'text')
        .addColumn('limits', t.json, (c) => c.notNull())
        .addColumn('experience_counter', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('created_by_user_name', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_name', 'text', (c) => c.notNull())
        .addUniqueConstraint('projects_org_name_unique', ['org_uid', 'name'])
        .execute();

      await db.schema
        .createTable('project_members')
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('user_uid', 'varchar(24)', (c) => c.notNull().references('users.uid').onDelete('cascade'))
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('invited_by_user_name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('project_members_pk', ['project_uid', 'user_uid'])
        .execute();
      await db.schema.createIndex('project_members_user_idx').on('project_members').column('user_uid').execute();

      await db.schema
        .createTable('invitations')
        .addColumn('uid', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('project_uid', 'varchar(24)', (c) => c.notNull().references('projects.uid').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('invited_by', 'varchar(24)', (c) => c.notNull())
        .addColumn('invited_by_user_name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('invitations_project_email_unique', ['project_uid', 'email'])
        .execute();

      await db.schema
        .createTable('audit_entries')
        .addColumn('seq', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('uid', 'varchar(24)', (c) => c.notNull().unique())
        .addColumn('org_uid', 'varchar(24)', (c) => c.notNull())
        // No foreign key: the log outlives the projects and resources it describes.
        .addColumn('project_uid', 'varchar(24)')
        .addColumn('actor_uid', 'varchar(24)')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('resource_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('resource_uid', 'varchar(64)', (c) => c.notNull())
        .addColumn('revision', 'integer')
        .addColumn('summary', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_entries_project_idx')
        .on('audit_entries')
        .columns(['project_uid', 'seq'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['audit_entries', 'invitations', 'project_members', 'projects', 'sessions', 'users', 'organizations']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
