import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntry, AuditLogQuery, ProjectHeaders, errorResponses } from '@tailor/contract';
import { requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';

export const auditRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['Audit log'],
        summary: 'Read the audit log, newest first',
        description:
          'With `x-project-uid`: that project\'s entries, for its Owners and org Owners/Admins. Without: the whole organization, for org Owners/Admins. ' +
          'A bare array; when more entries exist the `x-next-cursor` header (and `Link: <…>; rel="next"`) gives the `cursor` of the next page.',
        headers: ProjectHeaders,
        querystring: AuditLogQuery,
        response: { 200: z.array(AuditEntry), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const header = request.headers['x-project-uid'];
      const page = await services.auditLog.listAuditLog(actor, { ...request.query, ...(typeof header === 'string' && header !== '' ? { projectUid: header } : {}) });
      if (page.nextCursor !== null) {
        const next = new URLSearchParams();
        for (const [key, value] of Object.entries(request.query)) if (value !== undefined && key !== 'cursor') next.set(key, String(value));
        next.set('cursor', page.nextCursor);
        reply.header('x-next-cursor', page.nextCursor).header('link', `</api/audit-log?${next.toString()}>; rel="next"`);
      }
      return page.entries;
    },
  );
};
