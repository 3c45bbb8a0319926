import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConflictBody, Event, EventCreateRequest, EventUpdateRequest, ProjectHeaders, Reference, ResourceUidParams, errorResponses } from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { formatEtag } from '../resources/index.js';

const TAGS = ['Events'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };
const writeErrors = { ...readErrors, 409: ConflictBody, 413: errorResponses[413] };

export const eventRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { events } = services;

  app.get(
    '/events',
    { schema: { tags: TAGS, summary: 'List event definitions', description: 'A bare array, each with `referenceCount`.', headers: ProjectHeaders, response: { 200: z.array(Event), ...readErrors } } },
    async (request) => events.listEvents(requireActor(request), projectUidFromHeader(request)),
  );

  app.get(
    '/events/:uid',
    { schema: { tags: TAGS, summary: 'Get an event', description: 'With an `ETag` header.', headers: ProjectHeaders, params: ResourceUidParams, response: { 200: Event, ...readErrors } } },
    async (request, reply) => {
      const event = await events.getEvent(requireActor(request), projectUidFromHeader(request), request.params.uid);
      return reply.header('etag', formatEtag(event.version)).send(event);
    },
  );

  app.post(
    '/events',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an event',
        description: '400 `personalization.EVENTS.MAX_EVENTS_COUNT_EXCEEDED` at the limit; 409 `personalize.EVENTS.DUPLICATE_KEY`.',
        headers: ProjectHeaders,
        body: EventCreateRequest,
        response: { 201: Event, ...writeErrors },
      },
    },
    async (request, reply) => {
      const created = await events.createEvent(requireActor(request), projectUidFromHeader(request), request.body);
      return reply.status(201).header('etag', formatEtag(created.version)).send(created);
    },
  );

  app.put(
    '/events/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Update an event',
        description: 'Absent fields are unchanged. A stale `If-Match` or body `version` → 409 `personalize.EVENTS.VERSION_CONFLICT` with `current`.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        body: EventUpdateRequest,
        response: { 200: Event, ...writeErrors },
      },
    },
    async (request, reply) => {
      const updated = await events.updateEvent(requireActor(request), projectUidFromHeader(request), request.params.uid, request.body, request.headers['if-match']);
      return reply.header('etag', formatEtag(updated.version)).send(updated);
    },
  );

  app.delete(
    '/events/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an event',
        description: 'Refused with 409 `personalize.EVENTS.REFERENCED` and `references` while a non-archived experience version uses it as a metric. Honors `If-Match`.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        response: { 204: z.null(), ...readErrors, 409: ConflictBody },
      },
    },
    async (request, reply) => {
      await events.deleteEvent(requireActor(request), projectUidFromHeader(request), request.params.uid, request.headers['if-match']);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/events/:uid/references',
    { schema: { tags: TAGS, summary: 'What uses an event', description: 'A bare array of experiences whose metrics use it.', headers: ProjectHeaders, params: ResourceUidParams, response: { 200: z.array(Reference), ...readErrors } } },
    async (request) => events.eventReferences(requireActor(request), projectUidFromHeader(request), request.params.uid),
  );
};
