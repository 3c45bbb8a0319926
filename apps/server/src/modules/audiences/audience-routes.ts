import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Audience,
  AudienceCreateRequest,
  AudienceBadRequest,
  AudienceRevision,
  AudienceUpdateRequest,
  ConflictBody,
  ProjectHeaders,
  Reference,
  ResourceUidParams,
  RestoreRequest,
  RevisionParams,
  errorResponses,
} from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { formatEtag } from '../resources/index.js';

const TAGS = ['Audiences'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };
const writeErrors = { ...readErrors, 400: AudienceBadRequest, 409: ConflictBody, 413: errorResponses[413] };
const DEFINITION_ERRORS =
  'A `definition` is checked by the engine against the project\'s attributes: 400 `{"errors":{"definition.rules[1].attributeMatchOptions.value":["…"]}}` ' +
  'with every problem; more rules than the project allows → 400 `personalize.AUDIENCES.RULE_COUNT_EXCEEDED` with the same `errors`.';

export const audienceRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { audiences, audienceRevisions } = services;

  app.get(
    '/audiences',
    {
      schema: { tags: TAGS, summary: 'List audiences', description: 'A bare array, each with `referenceCount`.', headers: ProjectHeaders, response: { 200: z.array(Audience), ...readErrors } },
    },
    async (request) => audiences.listAudiences(requireActor(request), projectUidFromHeader(request)),
  );

  app.get(
    '/audiences/:uid',
    { schema: { tags: TAGS, summary: 'Get an audience', description: 'With an `ETag` header.', headers: ProjectHeaders, params: ResourceUidParams, response: { 200: Audience, ...readErrors } } },
    async (request, reply) => {
      const audience = await audiences.getAudience(requireActor(request), projectUidFromHeader(request), request.params.uid);
      return reply.header('etag', formatEtag(audience.version)).send(audience);
    },
  );

  app.post(
    '/audiences',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an audience',
        description: `${DEFINITION_ERRORS} 400 \`personalization.AUDIENCES.MAX_AUDIENCES_COUNT_EXCEEDED\` at the limit; 409 \`personalize.AUDIENCES.DUPLICATE_NAME\`. Stores revision 1.`,
        headers: ProjectHeaders,
        body: AudienceCreateRequest,
        response: { 201: Audience, ...writeErrors },
      },
    },
    async (request, reply) => {
      const created = await audiences.createAudience(requireActor(request), projectUidFromHeader(request), request.body);
      return reply.status(201).header('etag', formatEtag(created.version)).send(created);
    },
  );

  app.put(
    '/audiences/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Update an audience',
        description:
          `Absent fields are unchanged. A stale \`If-Match\` or body \`version\` → 409 \`personalize.AUDIENCES.VERSION_CONFLICT\` with \`current\`; neither → accepted. ${DEFINITION_ERRORS} ` +
          'Stores a revision numbered like the new version.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        body: AudienceUpdateRequest,
        response: { 200: Audience, ...writeErrors },
      },
    },
    async (request, reply) => {
      const updated = await audiences.updateAudience(requireActor(request), projectUidFromHeader(request), request.params.uid, request.body, request.headers['if-match']);
      return reply.header('etag', formatEtag(updated.version)).send(updated);
    },
  );

  app.delete(
    '/audiences/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an audience',
        description: 'Refused with 409 `personalize.AUDIENCES.REFERENCED` and `references` while a non-archived experience version uses it. Honors `If-Match`. Its revisions stay readable by project Owners.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        response: { 204: z.null(), ...readErrors, 409: ConflictBody },
      },
    },
    async (request, reply) => {
      await audiences.deleteAudience(requireActor(request), projectUidFromHeader(request), request.params.uid, request.headers['if-match']);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/audiences/:uid/references',
    {
      schema: { tags: TAGS, summary: 'What uses an audience', description: 'A bare array of experiences (with version and status) that use it.', headers: ProjectHeaders, params: ResourceUidParams, response: { 200: z.array(Reference), ...readErrors } },
    },
    async (request) => audiences.audienceReferences(requireActor(request), projectUidFromHeader(request), request.params.uid),
  );

  app.get(
    '/audiences/:uid/revisions',
    {
      schema: {
        tags: TAGS,
        summary: 'List an audience\'s revisions, newest first',
        description: 'Each with its full body and change summary. For a deleted audience, project Owners only.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        response: { 200: z.array(AudienceRevision), ...readErrors },
      },
    },
    async (request) => audienceRevisions.listRevisions(requireActor(request), projectUidFromHeader(request), request.params.uid),
  );

  app.get(
    '/audiences/:uid/revisions/:number',
    { schema: { tags: TAGS, summary: 'Get one revision', headers: ProjectHeaders, params: RevisionParams, response: { 200: AudienceRevision, ...readErrors } } },
    async (request) => audienceRevisions.getRevision(requireActor(request), projectUidFromHeader(request), request.params.uid, request.params.number),
  );

  app.post(
    '/audiences/:uid/revisions/:number/restore',
    {
      schema: {
        tags: TAGS,
        summary: 'Restore a revision (as a new revision)',
        description:
          'Conflict-protected like an update (`If-Match` or body `version`). The old definition is checked against today\'s attributes: 400 with paths when it no longer fits; ' +
          '409 `personalize.AUDIENCES.DUPLICATE_NAME` when its name is now taken.',
        headers: ProjectHeaders,
        params: RevisionParams,
        body: RestoreRequest,
        response: { 200: Audience, ...writeErrors },
      },
    },
    async (request, reply) => {
      const restored = await audienceRevisions.restoreRevision(
        requireActor(request),
        projectUidFromHeader(request),
        request.params.uid,
        request.params.number,
        request.body?.version,
        request.headers['if-match'],
      );
      return reply.header('etag', formatEtag(restored.version)).send(restored);
    },
  );
};
