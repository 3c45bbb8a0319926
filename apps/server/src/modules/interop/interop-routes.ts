import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ExportQuery, ImportQuery, ImportReport, PROJECT_FILE_MAX_BYTES, ProjectFile, conflictResponse, errorResponses } from '@tailor/contract';
import { requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';

const TAGS = ['Projects'];

/** `GET /projects/{uid}/export` and `POST /projects/import`: moving a project as one file (ADR 0060, 0061). */
export const interopRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { interop } = services;

  app.get(
    '/projects/:uid/export',
    {
      schema: {
        tags: TAGS,
        summary: 'Export a project as a file (Tailor extension)',
        description:
          'The whole project in the versioned `tailor-project` format: attributes, audiences (with `?withHistory=true` every revision), events, ' +
          'experiences with all their versions, and the priority. References use this project\'s uids. Any project member may export.',
        params: z.object({ uid: z.string().max(100) }),
        querystring: ExportQuery,
        response: { 200: ProjectFile, 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const file = await interop.exportProject(requireActor(request), request.params.uid, { withHistory: request.query.withHistory === true });
      const safe = file.project.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'project';
      return reply.header('content-disposition', `attachment; filename="${safe}.tailor-project.json"`).send(file);
    },
  );

  app.post(
    '/projects/import',
    {
      bodyLimit: PROJECT_FILE_MAX_BYTES,
      schema: {
        tags: TAGS,
        summary: 'Import a project file (Tailor extension)',
        description:
          'Body: a `ProjectFile` (see GET /projects/{uid}/export). Creates a new project (org Owners/Admins; a name clash is 409 unless `?name=` gives another) ' +
          'or fills the existing, empty project `?into=` (its Owners). New uids everywhere, references rewritten, all in one transaction: on any error ' +
          'nothing is created. `?dryRun=true` rehearses the import and answers 200 with what would be created and every problem found. ' +
          `Bodies over ${PROJECT_FILE_MAX_BYTES / 1024 / 1024} MB → 413.`,
        querystring: ImportQuery,
        body: z.unknown().describe('A ProjectFile (format "tailor-project", formatVersion 1)'),
        response: {
          200: ImportReport.describe('Dry run'),
          201: ImportReport.describe('Imported'),
          ...errorResponses,
          ...conflictResponse,
        },
      },
    },
    async (request, reply) => {
      const { dryRun, into, name } = request.query;
      const report = await interop.importProject(requireActor(request), request.body, { dryRun, into, name });
      return reply.status(report.dryRun ? 200 : 201).send(report);
    },
  );
};
