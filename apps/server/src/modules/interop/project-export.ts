import { PROJECT_FILE_FORMAT, PROJECT_FILE_VERSION, type ProjectFile } from '@tailor/contract';
import type { Actor } from '../identity/index.js';
import type { UnitOfWorkServices } from './unit-of-work.js';

export interface ExportOptions {
  withHistory?: boolean;
}

/**
 * Reads a whole project into the project file format (ADR 0060). Called inside one transaction,
 * so the file is a consistent snapshot even while others edit the project.
 */
export async function exportProject(services: UnitOfWorkServices, actor: Actor, projectUid: string, options: ExportOptions, exportedAt: string): Promise<ProjectFile> {
  const project = await services.projects.getProject(actor, projectUid);
  const attributes = (await services.attributes.listAttributes(actor, projectUid)).flatMap((a) => (a.__type === 'CUSTOM' ? [a] : []));
  const audiences = await services.audiences.listAudiences(actor, projectUid);
  const events = await services.events.listEvents(actor, projectUid);
  const experiences = await services.experiences.listExperiences(actor, projectUid);

  const file: ProjectFile = {
    format: PROJECT_FILE_FORMAT,
    formatVersion: PROJECT_FILE_VERSION,
    exportedAt,
    source: { projectUid: project.uid, projectName: project.name },
    project: {
      name: project.name,
      description: project.description,
      ...(Object.keys(project.limitOverrides).length > 0 ? { limits: project.limitOverrides } : {}),
    },
    attributes: attributes.map((a) => ({ uid: a.uid, key: a.key, name: a.name, description: a.description })),
    audiences: [],
    events: events.map((e) => ({ uid: e.uid, key: e.key, description: e.description })),
    experiences: [],
    priority: await services.experiences.getPriority(actor, projectUid),
  };
  for (const a of audiences) {
    const history = options.withHistory ? await services.audienceRevisions.listRevisions(actor, projectUid, a.uid) : undefined;
    file.audiences.push({
      uid: a.uid,
      name: a.name,
      description: a.description,
      definition: a.definition,
      ...(history
        ? {
            history: [...history]
              .sort((x, y) => x.number - y.number)
              .map((r) => ({
                number: r.number,
                action: r.action,
                name: r.name,
                description: r.description,
                definition: r.definition,
                createdAt: r.createdAt,
                createdByUserName: r.createdByUserName,
              })),
          }
        : {}),
    });
  }
  for (const e of experiences) {
    const versions = await services.versions.listVersions(actor, projectUid, e.uid);
    file.experiences.push({
      uid: e.uid,
      shortUid: e.shortUid,
      name: e.name,
      description: e.description,
      __type: e.type,
      tags: e.tags,
      versions: [...versions]
        .sort((x, y) => x.versionNumber - y.versionNumber)
        .map((v) => ({
          uid: v.uid,
          versionNumber: v.versionNumber,
          status: v.status,
          variants: v.variants.map((variant) => ({ ...variant })),
          targeting: v.targeting ? { audience: { audiences: v.targeting.audiences, audienceCombinationType: v.targeting.audienceCombinationType } } : null,
          metrics: v.metrics.map((m) => ({ __type: m.__type, event: m.event, ...(m.name === undefined ? {} : { name: m.name }) })),
          variantSplit: v.variantSplit,
          activatedAt: v.activatedAt,
          archivedAt: v.archivedAt,
        })),
    });
  }
  return file;
}
