import type { ImportReport, ProjectFile } from '@tailor/contract';
import { ValidationError } from '../../shared/errors.js';
import type { Actor } from '../identity/index.js';
import { checkProjectFile } from './project-file-check.js';
import { exportProject, type ExportOptions } from './project-export.js';
import { countsOf, writeProject, type ImportTarget } from './project-import.js';
import { inOneTransaction, type UnitOfWorkDeps } from './unit-of-work.js';

export interface ImportOptions extends ImportTarget {
  dryRun?: boolean | undefined;
}

export type InteropService = ReturnType<typeof createInteropService>;

/** Moving projects as files (ADR 0060, 0061): export a consistent snapshot, import all or nothing. */
export function createInteropService(deps: UnitOfWorkDeps) {
  return {
    /** Read in one (rolled back) transaction, so the file is one consistent moment of the project. */
    async exportProject(actor: Actor, projectUid: string, options: ExportOptions = {}): Promise<ProjectFile> {
      const at = deps.clock.now().toISOString();
      return inOneTransaction(deps, { rollback: true }, (services) => exportProject(services, actor, projectUid, options, at));
    },

    /**
     * Checks the file, then writes it in one transaction. A dry run rehearses the same writes and
     * rolls them back, answering the problems instead of throwing them.
     */
    async importProject(actor: Actor, raw: unknown, options: ImportOptions = {}): Promise<ImportReport> {
      const dryRun = options.dryRun === true;
      const check = checkProjectFile(raw);
      const fallbackName = options.name ?? check.file?.project.name ?? '';
      if (!check.ok) {
        if (!dryRun) throw new ValidationError(check.problems);
        const created = check.file ? countsOf(check.file) : { attributes: 0, audiences: 0, audienceRevisions: 0, events: 0, experiences: 0, versions: 0 };
        return { dryRun, ok: false, project: { uid: options.into ?? null, name: fallbackName }, created, problems: check.problems, warnings: [] };
      }
      const { file } = check;
      try {
        const written = await inOneTransaction(deps, { rollback: dryRun }, (services) => writeProject(services, actor, file, options));
        return {
          dryRun,
          ok: true,
          project: { uid: dryRun && options.into === undefined ? null : written.project.uid, name: written.project.name },
          created: written.created,
          problems: [],
          warnings: written.warnings,
        };
      } catch (error) {
        if (!dryRun || !(error instanceof Error) || !('kind' in error)) throw error;
        const problems = error instanceof ValidationError ? error.issues : [{ path: options.into === undefined ? 'project' : 'into', message: error.message }];
        return { dryRun, ok: false, project: { uid: options.into ?? null, name: fallbackName }, created: countsOf(file), problems, warnings: [] };
      }
    },
  };
}
