import type { Db } from '../../db/create-db.js';
import { lockInstallationForBootstrap } from '../../db/row-locks.js';
import { createMemoryLimitStore, type LimitStore } from '../../limits/limit-store.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, ForbiddenError, RateLimitedError, UnauthorizedError, ValidationError } from '../../shared/errors.js';
import { newSecret, newUid } from '../../shared/ids.js';
import type { AuditRecorder } from '../audit/index.js';
import { displayName, isOrgAdmin, normalizeEmail, SESSION_TTL_MS, type Actor, type OrgRole, type User } from './identity.js';
import * as repo from './identity-repository.js';
import { createLoginThrottle, type LoginAttempt, type LoginThrottleLimits } from './login-throttle.js';
import { digest, DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';

export interface NewUserInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  orgRole: OrgRole;
}

export interface SessionResult {
  user: User;
  /** The secret the client presents as `authtoken`, `Authorization: Bearer` or the session cookie. */
  token: string;
  csrfToken: string;
  /** A new known-device secret for the browser's cookie; null when the one it sent stays valid. */
  deviceToken: string | null;
}

/** Who is trying a password: the client address and the known-device cookie it sent, if any. */
export interface LoginClient {
  address: string;
  deviceToken: string | null;
}

/** How long a browser stays known after logging in, and how many a user keeps. */
export const KNOWN_DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000;
const KNOWN_DEVICES_PER_USER = 20;

export interface AuthenticatedSession {
  actor: Actor;
  csrfToken: string;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService(deps: { db: Db; clock: Clock; audit: AuditRecorder; loginLimits?: LoginThrottleLimits; limits?: LimitStore }) {
  const { db, clock, audit } = deps;
  const now = () => clock.now().toISOString();
  const throttle = createLoginThrottle(deps.limits ?? createMemoryLimitStore({ now: () => clock.now().getTime() }), deps.loginLimits);

  function toActor(user: User): Actor {
    return { userUid: user.uid, orgUid: user.orgUid, orgRole: user.orgRole, email: user.email, name: displayName(user) };
  }

  async function ensureOrganization(executor: Db['kysely'] = db.kysely): Promise<{ uid: string; name: string }> {
    const existing = await repo.findOrganization(executor);
    if (existing) return existing;
    const org = { uid: newUid(clock.now().getTime()), name: 'My Organization' };
    await repo.insertOrganization(executor, { ...org, now: now() });
    return org;
  }

  async function insertNewUser(executor: Db['kysely'], orgUid: string, input: NewUserInput): Promise<User> {
    const email = normalizeEmail(input.email);
    if (await repo.findUserByEmail(executor, email)) {
      throw new ConflictError('personalize.USERS.DUPLICATE_EMAIL', `A user with the email ${email} already exists.`);
    }
    const uid = newUid(clock.now().getTime());
    const passwordHash = await hashPassword(input.password);
    await repo.insertUser(executor, {
      uid,
      orgUid,
      email,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      orgRole: input.orgRole,
      passwordHash,
      now: now(),
    });
    const user = await repo.findUserByUid(executor, uid);
    if (!user) throw new Error('user vanished after insert');
    return user;
  }

  async function knownDeviceOf(user: { uid: string } | { email: string }, deviceToken: string | null): Promise<string | null> {
    if (deviceToken === null || deviceToken === '' || deviceToken.length > 100) return null;
    const hash = digest(deviceToken);
    const device = await repo.findKnownDevice(db.kysely, hash, now());
    if (!device) return null;
    const matches = 'uid' in user ? device.userUid === user.uid : device.email === user.email;
    return matches ? hash : null;
  }

  /** The password check every log-in path shares, behind the failed-login limits (ADR 0082). */
  async function checkPassword(emailInput: string, password: string, client: LoginClient): Promise<{ user: User; deviceKnown: boolean }> {
    const account = normalizeEmail(emailInput);
    const attempt: LoginAttempt = { account, address: client.address, knownDevice: await knownDeviceOf({ email: account }, client.deviceToken) };
    // Refused before scrypt runs: a locked-out guess costs no CPU.
    const verdict = await throttle.check(attempt);
    if (verdict) {
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      throw new RateLimitedError(
        'personalize.AUTH.TOO_MANY_ATTEMPTS',
        `Too many failed log-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        verdict.retryAfterSeconds,
      );
    }
    const found = await repo.findUserByEmail(db.kysely, account);
    // Same work and the same answer whether or not the email exists.
    const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok) {
      await throttle.recordFailure(attempt);
      throw new UnauthorizedError('personalize.AUTH.INVALID_CREDENTIALS', 'Looks like your email or password is invalid.');
    }
    await throttle.recordSuccess(attempt);
    const { passwordHash: _hash, ...user } = found;
    return { user, deviceKnown: attempt.knownDevice !== null };
  }

  /**
   * `device` is the known-device cookie the browser sent; `known` says it was already checked
   * for this user (a log-in did so), else it is looked up. An unknown browser gets a new one.
   */
  async function openSession(user: User, device: { token: string | null; known?: boolean } = { token: null }): Promise<SessionResult> {
    const token = newSecret();
    const csrfToken = newSecret();
    const at = clock.now();
    await repo.insertSession(db.kysely, {
      tokenHash: digest(token),
      userUid: user.uid,
      csrfToken,
      now: at.toISOString(),
      expiresAt: new Date(at.getTime() + SESSION_TTL_MS).toISOString(),
    });
    let deviceToken: string | null = null;
    const known = device.known ?? (await knownDeviceOf(user, device.token)) !== null;
    if (!known) {
      deviceToken = newSecret();
      await repo.insertKnownDevice(
        db.kysely,
        { tokenHash: digest(deviceToken), userUid: user.uid, now: at.toISOString(), expiresAt: new Date(at.getTime() + KNOWN_DEVICE_TTL_MS).toISOString() },
        KNOWN_DEVICES_PER_USER,
      );
    }
    return { user, token, csrfToken, deviceToken };
  }

  return {
    ensureOrganization,

    /** First start: the organization exists, and the owner comes from the environment if given. */
    async bootstrap(admin: { email: string; password: string } | null): Promise<{ createdOwner: boolean }> {
      // Instances starting at once against an empty database must create one organization and
      // one owner between them: the check and the inserts run under one installation-wide lock.
      return db.kysely.transaction().execute(async (trx) => {
        await lockInstallationForBootstrap(trx, db.dialect);
        const org = await ensureOrganization(trx);
        if (!admin || (await repo.countUsers(trx)) > 0) return { createdOwner: false };
        const user = await insertNewUser(trx, org.uid, {
          email: admin.email,
          password: admin.password,
          firstName: 'Admin',
          lastName: '',
          orgRole: 'OWNER',
        });
        await audit.record(trx, {
          orgUid: org.uid,
          projectUid: null,
          actor: null,
          action: 'user.created',
          resourceType: 'user',
          resourceUid: user.uid,
          summary: { email: user.email, orgRole: 'OWNER', source: 'TAILOR_ADMIN_EMAIL' },
        });
        return { createdOwner: true };
      });
    },

    async needsSetup(): Promise<boolean> {
      return (await repo.countUsers(db.kysely)) === 0;
    },

    /** The console's first-run screen: creates the organization owner once, then never again. */
    async setup(input: { organizationName: string; user: Omit<NewUserInput, 'orgRole'> }): Promise<SessionResult> {
      const org = await ensureOrganization();
      const user = await db.kysely.transaction().execute(async (trx) => {
        if ((await repo.countUsers(trx)) > 0) {
          throw new ConflictError('personalize.SETUP.ALREADY_DONE', 'Tailor is already set up; log in instead.');
        }
        await repo.renameOrganization(trx, org.uid, input.organizationName.trim(), now());
        const created = await insertNewUser(trx, org.uid, { ...input.user, orgRole: 'OWNER' });
        await audit.record(trx, {
          orgUid: org.uid,
          projectUid: null,
          actor: toActor(created),
          action: 'user.created',
          resourceType: 'user',
          resourceUid: created.uid,
          summary: { email: created.email, orgRole: 'OWNER', source: 'setup' },
        });
        return created;
      });
      return openSession(user);
    },

    async login(emailInput: string, password: string, client: LoginClient): Promise<SessionResult> {
      const { user, deviceKnown } = await checkPassword(emailInput, password, client);
      const session = await openSession(user, { token: client.deviceToken, known: deviceKnown });
      await audit.record(db.kysely, {
        orgUid: user.orgUid,
        projectUid: null,
        actor: { ...toActor(user), address: client.address },
        action: 'user.logged_in',
        resourceType: 'user',
        resourceUid: user.uid,
        summary: {},
      });
      return session;
    },

    /** Checks a password without opening a session (e.g. accepting an invitation as an existing user). */
    async verifyCredentials(email: string, password: string, client: LoginClient): Promise<User> {
      return (await checkPassword(email, password, client)).user;
    },

    openSession,

    async logout(token: string): Promise<void> {
      await repo.deleteSession(db.kysely, digest(token));
    },

    async authenticate(token: string): Promise<AuthenticatedSession | null> {
      const session = await repo.findSession(db.kysely, digest(token));
      if (!session) return null;
      if (session.expiresAt <= now()) {
        await repo.deleteSession(db.kysely, digest(token));
        return null;
      }
      return { actor: toActor(session.user), csrfToken: session.csrfToken };
    },

    async getUser(uid: string): Promise<User | undefined> {
      return repo.findUserByUid(db.kysely, uid);
    },

    async findUserByEmail(email: string): Promise<User | undefined> {
      const found = await repo.findUserByEmail(db.kysely, normalizeEmail(email));
      if (!found) return undefined;
      const { passwordHash: _hash, ...user } = found;
      return user;
    },

    /** The organization's users, for org Owners/Admins (e.g. to pick whom to invite). */
    async listOrganizationUsers(actor: Actor): Promise<User[]> {
      if (!isOrgAdmin(actor)) {
        throw new ForbiddenError('personalize.USERS.FORBIDDEN', 'Only organization Owners and Admins can list users.');
      }
      return repo.listUsers(db.kysely, actor.orgUid);
    },

    async getOrganization(): Promise<{ uid: string; name: string }> {
      return ensureOrganization();
    },

    /** Used by `tailor user create` and by accepting an invitation; `executor` joins a caller's transaction. */
    async createUser(input: NewUserInput, executor: Db['kysely'] = db.kysely): Promise<User> {
      if (input.password.length < 8) throw ValidationError.single('user.password', 'Expected at least 8 characters.');
      // Inside a caller's transaction the organization must be read through it: SQLite has one connection.
      const org = executor === db.kysely ? await ensureOrganization() : await repo.findOrganization(executor);
      if (!org) throw new Error('the organization does not exist yet');
      return insertNewUser(executor, org.uid, input);
    },

    toActor,
  };
}
