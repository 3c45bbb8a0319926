import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { toIso } from '../../db/mappers.js';
import type { OrgRole, User } from './identity.js';

type Executor = Kysely<Database>;

interface UserRow {
  uid: string;
  org_uid: string;
  email: string;
  first_name: string;
  last_name: string;
  org_role: OrgRole;
  created_at: string | Date;
}

function toUser(row: UserRow): User {
  return {
    uid: row.uid,
    orgUid: row.org_uid,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    orgRole: row.org_role,
    createdAt: toIso(row.created_at),
  };
}

const USER_COLUMNS = ['uid', 'org_uid', 'email', 'first_name', 'last_name', 'org_role', 'created_at'] as const;

export async function findOrganization(db: Executor): Promise<{ uid: string; name: string } | undefined> {
  return db.selectFrom('organizations').select(['uid', 'name']).orderBy('created_at').limit(1).executeTakeFirst();
}

export async function insertOrganization(db: Executor, org: { uid: string; name: string; now: string }): Promise<void> {
  await db
    .insertInto('organizations')
    .values({ uid: org.uid, name: org.name, created_at: org.now, updated_at: org.now })
    .execute();
}

export async function renameOrganization(db: Executor, uid: string, name: string, now: string): Promise<void> {
  await db.updateTable('organizations').set({ name, updated_at: now }).where('uid', '=', uid).execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByEmail(db: Executor, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

export async function findUserByUid(db: Executor, uid: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('uid', '=', uid).executeTakeFirst();
  return row && toUser(row);
}

export async function listUsers(db: Executor, orgUid: string): Promise<User[]> {
  const rows = await db.selectFrom('users').select(USER_COLUMNS).where('org_uid', '=', orgUid).orderBy('email').execute();
  return rows.map(toUser);
}

export async function insertUser(
  db: Executor,
  user: Omit<User, 'createdAt'> & { passwordHash: string; now: string },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      uid: user.uid,
      org_uid: user.orgUid,
      email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      password_hash: user.passwordHash,
      org_role: user.orgRole,
      created_at: user.now,
      updated_at: user.now,
    })
    .execute();
}

export async function updateUserPassword(db: Executor, uid: string, passwordHash: string, now: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('uid', '=', uid).execute();
}

export async function insertSession(
  db: Executor,
  session: { tokenHash: string; userUid: string; csrfToken: string; now: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_uid: session.userUid,
      csrf_token: session.csrfToken,
      created_at: session.now,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function findSession(
  db: Executor,
  tokenHash: string,
): Promise<{ user: User; csrfToken: string; expiresAt: string } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.uid', 'sessions.user_uid')
    .select([
      'users.uid',
      'users.org_uid',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.org_role',
      'users.created_at',
      'sessions.csrf_token',
      'sessions.expires_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { user: toUser(row), csrfToken: row.csrf_token, expiresAt: toIso(row.expires_at) };
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

/** The account a known-device cookie belongs to, while it is valid. */
export async function findKnownDevice(db: Executor, tokenHash: string, now: string): Promise<{ userUid: string; email: string } | undefined> {
  const row = await db
    .selectFrom('known_devices')
    .innerJoin('users', 'users.uid', 'known_devices.user_uid')
    .select(['users.uid', 'users.email'])
    .where('known_devices.token_hash', '=', tokenHash)
    .where('known_devices.expires_at', '>', now)
    .executeTakeFirst();
  return row && { userUid: row.uid, email: row.email };
}

/** Remembers a device and keeps only the user's `keep` newest, so logins without cookies cannot grow the table. */
export async function insertKnownDevice(
  db: Executor,
  device: { tokenHash: string; userUid: string; now: string; expiresAt: string },
  keep: number,
): Promise<void> {
  await db
    .insertInto('known_devices')
    .values({ token_hash: device.tokenHash, user_uid: device.userUid, created_at: device.now, expires_at: device.expiresAt })
    .execute();
  const stale = await db
    .selectFrom('known_devices')
    .select('token_hash')
    .where('user_uid', '=', device.userUid)
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .offset(keep)
    .limit(1000)
    .execute();
  if (stale.length > 0) await db.deleteFrom('known_devices').where('token_hash', 'in', stale.map((r) => r.token_hash)).execute();
}
