import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { PROJECT_FILE_MAX_BYTES, type ImportReport } from '@tailor/contract';
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrator.js';
import { displayName, type Actor } from '../modules/identity/index.js';
import type { ImportProgress } from '../modules/interop/index.js';
import { createServices, type Services } from '../services.js';
import { systemClock } from '../shared/clock.js';

/**
 * `tailor project export|import` (ADR 0063): the same use cases as `GET /api/projects/{uid}/export`
 * and `POST /api/projects/import`, run straight against the database, as the user named by
 * `--as` (default: the organization's first Owner).
 */
export interface ProjectCommandDeps {
  out(text: string): void;
  err(text: string): void;
  withDb<T>(run: (db: Db, config: Config) => Promise<T>): Promise<T>;
  /** A user mistake: printed as one line, exit code 1. */
  fail(message: string): Error;
}

const MB = 1024 * 1024;

async function actorFor(services: Services, deps: ProjectCommandDeps, email: string | undefined): Promise<Actor> {
  const org = await services.identity.getOrganization().catch(() => undefined);
  if (!org) throw deps.fail('No organization yet: start Tailor once, or run `tailor user create`, before moving projects.');
  let user;
  if (email !== undefined) {
    user = await services.identity.findUserByEmail(email);
    if (!user) throw deps.fail(`--as: no user with the email "${email}".`);
  } else {
    const system: Actor = { userUid: '', orgUid: org.uid, orgRole: 'OWNER', email: '', name: 'tailor CLI' };
    user = (await services.identity.listOrganizationUsers(system)).find((u) => u.orgRole === 'OWNER');
    if (!user) throw deps.fail('The organization has no Owner yet: create one with `tailor user create --org-role owner`, or pass --as.');
  }
  return { userUid: user.uid, orgUid: user.orgUid, orgRole: user.orgRole, email: user.email, name: displayName(user) };
}

/** Reads the file, refusing an oversized one by its size before reading it, and bad JSON clearly. */
async function readProjectFile(deps: ProjectCommandDeps, file: string): Promise<unknown> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw deps.fail(`${file}: no such file.`);
  if (stat.size > PROJECT_FILE_MAX_BYTES) {
    throw deps.fail(`${file}: ${(stat.size / MB).toFixed(1)} MB is larger than the ${PROJECT_FILE_MAX_BYTES / MB} MB a project file may have. Nothing was imported.`);
  }
  const text = await fs.readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    throw deps.fail(`${file}: not valid JSON, perhaps truncated (${reason}). Nothing was imported.`);
  }
}

function printReport(deps: ProjectCommandDeps, report: ImportReport, file: string): void {
  const c = report.created;
  const what =
    `${c.attributes} attributes, ${c.audiences} audiences (${c.audienceRevisions} revisions), ${c.events} events, ` +
    `${c.experiences} experiences (${c.versions} versions)`;
  for (const w of report.warnings) deps.err(`warning: ${w.path}: ${w.message}\n`);
  if (!report.dryRun) {
    deps.out(`Imported ${file} into project "${report.project.name}" (${report.project.uid ?? ''}): ${what}.\n`);
    return;
  }
  const target = report.project.uid ? `project ${report.project.uid}` : `a new project "${report.project.name}"`;
  if (report.ok) {
    deps.out(`Dry run: ${file} can be imported into ${target}. It would create ${what}. Nothing was changed.\n`);
    return;
  }
  deps.out(`Dry run: ${file} cannot be imported into ${target}; ${report.problems.length} problem(s):\n`);
  for (const p of report.problems) deps.out(`  ${p.path}: ${p.message}\n`);
}

/** Progress on stderr: a line per section when done, and every 100 items in between. */
function progressPrinter(deps: ProjectCommandDeps): (p: ImportProgress) => void {
  return (p) => {
    if (p.done === p.total || p.done % 100 === 0) deps.err(`  ${p.section.padEnd(11)} ${p.done}/${p.total}\n`);
  };
}

export function registerProjectCommands(program: Command, deps: ProjectCommandDeps): void {
  const project = program.command('project').description('move a project between Tailor installations as one JSON file');

  project
    .command('export')
    .description('write a project (attributes, audiences, events, experiences with all versions, priority) to a file')
    .argument('<uid>', 'the project uid')
    .requiredOption('--out <file>', 'where to write the project file')
    .option('--with-history', 'include every audience revision')
    .option('--as <email>', 'act as this user (default: the first organization Owner)')
    .action(async (uid: string, options: { out: string; withHistory?: boolean; as?: string }) => {
      await deps.withDb(async (db, config) => {
        await migrateToLatest(db);
        const services = createServices({ config, db, clock: systemClock });
        const actor = await actorFor(services, deps, options.as);
        const file = await services.interop.exportProject(actor, uid, { withHistory: options.withHistory === true });
        await fs.writeFile(options.out, `${JSON.stringify(file, null, 2)}\n`);
        const versions = file.experiences.reduce((n, e) => n + e.versions.length, 0);
        deps.out(
          `Exported project "${file.project.name}" (${uid}) to ${options.out}: ${file.attributes.length} attributes, ${file.audiences.length} audiences, ` +
            `${file.events.length} events, ${file.experiences.length} experiences (${versions} versions).\n`,
        );
      });
    });

  project
    .command('import')
    .description('create a project from a project file (all or nothing), or fill an empty one with --into')
    .argument('<file>', 'a file written by `tailor project export`')
    .option('--into <uid>', 'import into this existing, empty project')
    .option('--name <name>', "name of the new project (default: the file's)")
    .option('--dry-run', 'check the file and rehearse the import; change nothing')
    .option('--as <email>', 'act as this user (default: the first organization Owner)')
    .action(async (file: string, options: { into?: string; name?: string; dryRun?: boolean; as?: string }) => {
      const raw = await readProjectFile(deps, file);
      await deps.withDb(async (db, config) => {
        await migrateToLatest(db);
        const services = createServices({ config, db, clock: systemClock });
        const actor = await actorFor(services, deps, options.as);
        if (!options.dryRun) deps.err(`Importing ${file}…\n`);
        const report = await services.interop.importProject(actor, raw, {
          dryRun: options.dryRun === true,
          into: options.into,
          name: options.name,
          onProgress: progressPrinter(deps),
        });
        printReport(deps, report, file);
        if (!report.ok) throw deps.fail(`Dry run found ${report.problems.length} problem(s).`);
      });
    });
}
