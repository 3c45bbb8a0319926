import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Attribute,
  AttributeCreateRequest,
  AttributeUidParams,
  AttributeUpdateRequest,
  ConflictBody,
  CustomAttribute,
  ProjectHeaders,
  Reference,
  errorResponses,
} from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { formatEtag } from '../resources/index.js';

const TAGS = ['Attributes'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };
const writeErrors = { ...readErrors, 409: ConflictBody, 413: errorResponses[413] };

export const attributeRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { attributes } = services;

  app.get(
    '/attributes',
    {
      schema: {
        tags: TAGS,
        summary: 'List the presets and the custom attributes',
        description: 'A bare array: the 8 presets (`__type: "PRESET"`) then the custom attributes, each with `referenceCount`.',
        headers: ProjectHeaders,
        response: { 200: z.array(Attribute), ...readErrors },
      },
    },
    async (request) => attributes.listAttributes(requireActor(request), projectUidFromHeader(request)),
  );

  app.get(
    '/attributes/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Get an attribute (a custom uid or a preset name)',
        description: 'Custom attributes carry an `ETag` header with their version.',
        headers: ProjectHeaders,
        params: AttributeUidParams,
        response: { 200: Attribute, ...readErrors },
      },
    },
    async (request, reply) => {
      const attribute = await attributes.getAttribute(requireActor(request), projectUidFromHeader(request), request.params.uid);
      if (attribute.__type === 'CUSTOM') reply.header('etag', formatEtag(attribute.version));
      return attribute;
    },
  );

  app.post(
    '/attributes',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a custom attribute',
        description:
          'Errors: 400 `personalization.ATTRIBUTES.MAX_ATTRIBUTES_COUNT_EXCEEDED` at the project limit; 409 `personalize.ATTRIBUTES.DUPLICATE_KEY` / `DUPLICATE_NAME`. ' +
          'Server-owned fields in the body (uid, createdAt, …) are ignored.',
        headers: ProjectHeaders,
        body: AttributeCreateRequest,
        response: { 201: CustomAttribute, ...writeErrors },
      },
    },
    async (request, reply) => {
      const created = await attributes.createAttribute(requireActor(request), projectUidFromHeader(request), request.body);
      return reply.status(201).header('etag', formatEtag(created.version)).send(created);
    },
  );

  app.put(
    '/attributes/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a custom attribute',
        description:
          'Absent fields are unchanged, `description: null` clears. A stale `If-Match` or body `version` → 409 `personalize.ATTRIBUTES.VERSION_CONFLICT` with `current`. ' +
          'Presets → 400 `personalize.ATTRIBUTES.PRESET_READ_ONLY`. A changed `key` is accepted with a `warnings` entry ' +
          '(`personalize.ATTRIBUTES.KEY_CHANGED`) and the `x-tailor-warning` header: edge clients must send the new key.',
        headers: ProjectHeaders,
        params: AttributeUidParams,
        body: AttributeUpdateRequest,
        response: { 200: CustomAttribute, ...writeErrors },
      },
    },
    async (request, reply) => {
      const updated = await attributes.updateAttribute(
        requireActor(request),
        projectUidFromHeader(request),
        request.params.uid,
        request.body,
        request.headers['if-match'],
      );
      reply.header('etag', formatEtag(updated.version));
      if (updated.warnings) reply.header('x-tailor-warning', updated.warnings.map((w) => w.code).join(', '));
      return updated;
    },
  );

  app.delete(
    '/attributes/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a custom attribute',
        description: 'Refused with 409 `personalize.ATTRIBUTES.REFERENCED` and `references` while an audience uses it. Honors `If-Match`.',
        headers: ProjectHeaders,
        params: AttributeUidParams,
        response: { 204: z.null(), ...readErrors, 409: ConflictBody },
      },
    },
    async (request, reply) => {
      await attributes.deleteAttribute(requireActor(request), projectUidFromHeader(request), request.params.uid, request.headers['if-match']);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/attributes/:uid/references',
    {
      schema: {
        tags: TAGS,
        summary: 'What uses an attribute',
        description: 'A bare array: one entry per audience rule that uses it, with its `path`.',
        headers: ProjectHeaders,
        params: AttributeUidParams,
        response: { 200: z.array(Reference), ...readErrors },
      },
    },
    async (request) => attributes.attributeReferences(requireActor(request), projectUidFromHeader(request), request.params.uid),
  );
};
