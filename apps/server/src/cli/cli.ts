import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { ConfigError, loadConfig, parseWorkers, type Config } from '../config.js';
import { createDb, type Db } from '../db/create-db.js';
import { migrateDownAll, migrateToLatest, pendingMigrations } from '../db/migrator.js';
import { allMigrations } from '../db/migrations/index.js';
import { serve } from '../main.js';
import { createServices } from '../services.js';
import { systemClock } from '../shared/clock.js';
import { DomainError, ValidationError } from '../shared/errors.js';
import { registerBackupCommands } from './backup-commands.js';
import { registerProjectCommands } from './project-commands.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Tests hand in their own database; the command does not close it then. */
  openDb?(config: Config): Db;
  /** Tests replace the long-running server. */
  serve?(config: Config): Promise<void>;
}

/** A user mistake: printed as one line, without a stack trace. */
export class CliError extends Error {}

const ORG_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
type OrgRole = (typeof ORG_ROLES)[number];

function parseOrgRole(value: string): OrgRole {
  const upper = value.toUpperCase();
  if (!(ORG_ROLES as readonly string[]).includes(upper)) {
    throw new InvalidArgumentError(`Expected one of ${ORG_ROLES.join(', ')}, received "${value}".`);
  }
  return upper as OrgRole;
}

const FLAG_BY_PATH: Record<string, string> = {
  'user.password': '--password',
  'user.email': '--email',
  'user.firstName': '--first-name',
  'user.lastName': '--last-name',
};

/** Domain errors name JSON paths; on the command line the flag is what the user can fix. */
function describeError(error: DomainError): string {
  if (error instanceof ValidationError) {
    return error.issues.map((issue) => `${FLAG_BY_PATH[issue.path] ?? issue.path}: ${issue.message}`).join('\n');
  }
  return error.message;
}

async function withDb<T>(io: CliIo, run: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  if (io.openDb) return run(io.openDb(config), config);
  const db = createDb(config.database);
  try {
    return await run(db, config);
  } finally {
    await db.close();
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('tailor')
    .description('Tailor: a self-hosted personalization engine that speaks Contentstack Personalize.')
    .option('--verbose', 'print stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .addHelpText(
      'after',
      '\nConfiguration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, TAILOR_ADMIN_EMAIL,\n' +
        'TAILOR_ADMIN_PASSWORD, LOG_LEVEL (see the README).\n\nExamples:\n' +
        '  $ tailor serve\n' +
        '  $ DATABASE_URL=postgres://tailor@localhost/tailor tailor migrate\n' +
        '  $ tailor user create --email ada@example.com --password "long secret" --org-role admin\n' +
        '  $ tailor project export 65f0c0ffee0000000000abcd --out shop.json\n' +
        '  $ tailor project import shop.json --name "Shop (staging)" --dry-run\n' +
        '  $ tailor backup --out /backups/tailor-$(date +%F).db\n' +
        '  $ tailor restore /backups/tailor-2026-12-01.db --force',
    );

  program
    .command('serve')
    .description('apply pending migrations, then serve the console, /api and /edge (stops cleanly on SIGTERM/SIGINT)')
    .option('--workers <count>', 'processes serving the port: a number, or auto for one per CPU (default: WORKERS, else 1)')
    .action(async (options: { workers?: string }) => {
      const config = loadConfig(io.env);
      if (options.workers !== undefined) config.workers = parseWorkers(options.workers, '--workers');
      await (io.serve ?? serve)(config);
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--down', 'revert every migration (destroys all data)')
    .option('--status', 'list applied and pending migrations, change nothing')
    .action(async (options: { down?: boolean; status?: boolean }) => {
      await withDb(io, async (db) => {
        if (options.status) {
          const pending = new Set(await pendingMigrations(db));
          for (const name of Object.keys(allMigrations(db.dialect))) io.out(`${pending.has(name) ? 'pending ' : 'applied '} ${name}\n`);
          return;
        }
        const names = options.down ? await migrateDownAll(db) : await migrateToLatest(db);
        io.out(names.length === 0 ? 'Nothing to do.\n' : `${options.down ? 'Reverted' : 'Applied'}: ${names.join(', ')}\n`);
      });
    });

  const user = program.command('user').description('manage the users of the organization');
  user
    .command('create')
    .description('create a user who can log in to the console and the API')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--password <password>', 'at least 8 characters')
    .option('--first-name <name>', 'first name (default: the part of the email before @)')
    .option('--last-name <name>', 'last name', '')
    .addOption(
      new Option('--org-role <role>', `organization role: ${ORG_ROLES.join(', ')} (any case)`).argParser(parseOrgRole).default('MEMBER'),
    )
    .action(async (options: { email: string; password: string; firstName?: string; lastName: string; orgRole: OrgRole }) => {
      if (!z.email().safeParse(options.email.trim()).success) {
        throw new CliError(`--email: Expected an email address, received "${options.email}".`);
      }
      if (options.password.length < 8) throw new CliError('--password: Expected at least 8 characters.');
      await withDb(io, async (db, config) => {
        await migrateToLatest(db);
        const services = createServices({ config, db, clock: systemClock });
        const created = await services.identity.createUser({
          email: options.email,
          password: options.password,
          firstName: options.firstName ?? options.email.split('@')[0] ?? 'User',
          lastName: options.lastName,
          orgRole: options.orgRole,
        });
        io.out(`Created ${created.orgRole} ${created.email} (${created.uid}).\n`);
      });
    });

  user
    .command('list')
    .description('list the users of the organization')
    .action(async () => {
      await withDb(io, async (db, config) => {
        await migrateToLatest(db);
        const services = createServices({ config, db, clock: systemClock });
        const org = await services.identity.getOrganization();
        const users = await services.identity.listOrganizationUsers({ userUid: '', orgUid: org.uid, orgRole: 'OWNER', email: '', name: 'CLI' });
        if (users.length === 0) io.out('No users yet.\n');
        for (const u of users) io.out(`${u.orgRole.padEnd(6)}  ${u.email}  ${u.uid}\n`);
      });
    });

  registerProjectCommands(program, {
    out: (text) => io.out(text),
    err: (text) => io.err(text),
    withDb: (run) => withDb(io, run),
    fail: (message) => new CliError(message),
  });

  registerBackupCommands(program, {
    out: (text) => io.out(text),
    config: () => loadConfig(io.env),
    env: io.env,
    withDb: (run) => withDb(io, run),
    fail: (message) => new CliError(message),
  });

  return program;
}

/**
 * Runs the `tailor` command and answers its exit code. Mistakes (bad flags, bad configuration,
 * refused input) print one clear line; only unexpected errors print a stack, and only with --verbose.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help, whose exit code is 0).
      return error.exitCode;
    }
    if (error instanceof ConfigError || error instanceof CliError) io.err(`${error.message}\n`);
    else if (error instanceof DomainError) io.err(`${describeError(error)}\n`);
    else if (program.opts<{ verbose?: boolean }>().verbose && error instanceof Error) io.err(`${error.stack ?? error.message}\n`);
    else io.err(`Error: ${error instanceof Error ? error.message : String(error)}\n(run with --verbose for details)\n`);
    return 1;
  }
}
