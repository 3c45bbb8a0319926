import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BusinessError,
  EDGE_HEADERS,
  EdgeEventBatch,
  EdgeEventsPartialError,
  EdgeEventsResult,
  EdgeManifest,
  EdgeManifestQuery,
  MergeUsersRequest,
  UserAttributesPatch,
  errorResponses,
} from '@tailor/contract';
import type { Services } from '../../services.js';
import type { ManifestResult } from './edge-service.js';

const TAGS = ['Edge'];

/** What the SDK (and a browser) may send and read cross-origin (real-clients.md §1.4). */
const ALLOWED_HEADERS = [
  'Content-Type',
  'X-Project-Uid',
  'X-CS-Personalize-User-Uid',
  'X-Page-Url',
  'X-User-Agent',
  'X-Live-Attributes',
  'X-Lytics-Id-Field',
  'X-Lytics-Id-Value',
  'X-Request-Id',
];

// Small on purpose: a 10,000-item event batch or a 1 MB attribute value is refused (413) before parsing.
const EVENTS_BODY_LIMIT = 64 * 1024;
const ATTRIBUTES_BODY_LIMIT = 64 * 1024;
const MERGE_BODY_LIMIT = 4 * 1024;

const ProjectHeaders = z.object({ 'x-project-uid': z.string().optional().describe('The project uid (required)') });
const VisitorHeaders = ProjectHeaders.extend({
  'x-cs-personalize-user-uid': z.string().optional().describe('The visitor uid (required)'),
});
const ManifestHeaders = VisitorHeaders.extend({
  'x-forwarded-for': z.string().optional().describe('Client IP for COUNTRY/REGION/CITY, read only through proxies TRUST_PROXY trusts; else the peer address'),
  'user-agent': z.string().optional().describe('For DEVICE_TYPE and OPERATING_SYSTEM'),
  referer: z.string().optional().describe('For REFERRER'),
  'x-page-url': z.string().optional().describe('For QUERY_PARAMETERS'),
  'x-live-attributes': z.string().optional().describe('JSON object of attribute values for this evaluation only (≤ 8 KB)'),
});

const TextOk = z.string().describe('Plain-text confirmation');

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function header(request: FastifyRequest, name: string): string | undefined {
  return first(request.headers[name]);
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

const validateManifestQuery = validatorCompiler({ schema: EdgeManifestQuery, method: 'GET', url: '/edge/manifest', httpPart: 'querystring' });

/** The manifest's JSON (manifest-json.ts writes exactly the EdgeManifest schema); with its content type set, Fastify sends the string as is. */
function sendManifest(reply: FastifyReply, result: ManifestResult): void {
  reply
    .header('x-cs-personalize-user-uid', result.visitorUid)
    .header('cache-control', 'no-store')
    .header('content-type', 'application/json; charset=utf-8')
    .send(result.body);
}

/** The Edge API (spec §3): unauthenticated, identified by x-project-uid; CORS open to any origin. */
export interface EdgeRouteOptions {
  services: Services;
  /** The visitor's country from a trusted CDN's header, if one is configured. */
  visitorCountry: (request: FastifyRequest) => string | undefined;
}

export const edgeRoutes: FastifyPluginAsyncZod<EdgeRouteOptions> = async (app, { services, visitorCountry }) => {
  const { edge, edgeEvents } = services;
  await app.register(cors, {
    origin: true,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['X-CS-Personalize-User-Uid'],
    maxAge: 86_400,
  });

  app.get(
    '/manifest',
    {
      schema: {
        tags: TAGS,
        summary: 'Decide the variants of every active experience for a visitor',
        description:
          'Always answers the visitor uid in the X-CS-Personalize-User-Uid header (a new UUID when none or an unusable one was sent). ' +
          'Unknown or malformed project uid → 404 personalize.MANIFEST.PROJECT_NOT_FOUND (the SDK reports "Project not found: <uid>").',
        querystring: EdgeManifestQuery,
        headers: ManifestHeaders,
        response: { 200: EdgeManifest, 400: errorResponses[400], 404: errorResponses[404] },
      },
      // The hottest route. Its header schema is documentation only: every declared header is an
      // optional string, which Node always delivers, and zod's copy would make each later
      // `request.headers` read copy all headers again. An empty query (the SDK's usual request)
      // needs no zod pass either.
      validatorCompiler: ({ httpPart }) => {
        if (httpPart === 'headers') return () => true;
        return (data) => (isEmptyObject(data) ? { value: data } : validateManifestQuery(data));
      },
      // Error bodies only: the 200 body is sent as bytes by sendManifest.
      serializerCompiler: () => (data) => JSON.stringify(data),
      // No info lines for the hottest route, even with REQUEST_LOG=all (a pino line costs more
      // than the decision): slow and failed requests are still logged with their reqId, and
      // every response carries x-request-id (ADR 0072, ADR 0087).
      logLevel: 'warn',
    },
    (request, reply) => {
      const headers = request.headers;
      const result = edge.manifest(
        first(headers[EDGE_HEADERS.projectUid]),
        {
          visitorUid: first(headers[EDGE_HEADERS.userUid]),
          // Fastify's client address: X-Forwarded-For counts only through trusted proxies.
          ip: request.ip,
          country: visitorCountry(request),
          userAgent: first(headers['user-agent']),
          referer: first(headers.referer),
          pageUrl: first(headers[EDGE_HEADERS.pageUrl]),
          liveAttributes: first(headers[EDGE_HEADERS.liveAttributes]),
          tags: request.query['tags[]'],
        },
        { includePayload: request.query.include === 'payload' },
      );
      if (result instanceof Promise) return result.then((decided) => sendManifest(reply, decided));
      // Synchronous: Fastify would send again any value returned here.
      sendManifest(reply, result);
      return undefined;
    },
  );

  app.patch(
    '/user-attributes',
    {
      bodyLimit: ATTRIBUTES_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: "Merge-patch the visitor's custom attributes",
        description:
          'Keys must be custom attribute keys of the project (unknown keys → 400 listing them); values are strings (≤ 1 KB), numbers or booleans; null removes a key; at most 50 keys.',
        headers: VisitorHeaders,
        body: UserAttributesPatch,
        response: { 200: TextOk, 400: errorResponses[400], 404: errorResponses[404], 413: errorResponses[413] },
      },
    },
    async (request, reply) => {
      await edge.patchAttributes(header(request, EDGE_HEADERS.projectUid), header(request, EDGE_HEADERS.userUid), request.body);
      return reply.type('text/plain; charset=utf-8').send('User Attributes added successfully');
    },
  );

  app.post(
    '/user-attributes/actions/merge',
    {
      bodyLimit: MERGE_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: "Merge one visitor's attributes into another's",
        description: 'Source wins on conflict; the source profile is kept; merging a visitor into itself is a no-op.',
        headers: ProjectHeaders,
        body: MergeUsersRequest,
        response: { 200: TextOk, 400: errorResponses[400], 404: errorResponses[404], 413: errorResponses[413] },
      },
    },
    async (request, reply) => {
      await edge.mergeAttributes(header(request, EDGE_HEADERS.projectUid), request.body.sourceUserUid, request.body.targetUserUid);
      return reply.type('text/plain; charset=utf-8').send('User Attributes merged successfully');
    },
  );

  app.post(
    '/events',
    {
      bodyLimit: EVENTS_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: 'Record impressions and conversion events',
        description:
          'At most 100 items. A batch that is not a valid array of IMPRESSION/EVENT items is refused whole (400, nothing stored). ' +
          'Otherwise the valid items are stored before the answer: 200 when all were, else 400 personalize.EVENTS.PARTIALLY_REJECTED ' +
          'with `accepted` and the `rejected` items by index (unknown event keys, experiences, variants). A repeated impression is stored once. ' +
          'When more events wait to be stored than the server holds, 503 personalize.EVENTS.OVERLOADED with Retry-After; nothing of the batch is stored.',
        headers: VisitorHeaders,
        body: EdgeEventBatch,
        response: {
          200: EdgeEventsResult,
          400: z.union([EdgeEventsPartialError, errorResponses[400]]),
          404: errorResponses[404],
          413: errorResponses[413],
          503: BusinessError.describe('Too many events waiting to be stored; retry after Retry-After seconds'),
        },
      },
    },
    async (request, reply) => {
      const result = await edgeEvents.ingestEvents(header(request, EDGE_HEADERS.projectUid), header(request, EDGE_HEADERS.userUid), request.body);
      if (result.rejected.length === 0) return reply.status(200).send(result);
      const total = result.accepted + result.rejected.length;
      return reply.status(400).send({
        error: 'personalize.EVENTS.PARTIALLY_REJECTED' as const,
        message: `${result.rejected.length} of ${total} events were rejected; the other ${result.accepted} were stored.`,
        ...result,
      });
    },
  );
};
