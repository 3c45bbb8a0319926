import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConflictBody,
  Experience,
  ExperienceCreateRequest,
  ExperiencePriority,
  ExperiencePriorityRequest,
  ExperienceUpdateRequest,
  ProjectHeaders,
  ResourceUidParams,
  errorResponses,
} from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { formatEtag } from '../resources/index.js';
import { experienceJson } from './experience-view.js';

const TAGS = ['Experiences'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };
const writeErrors = { ...readErrors, 409: ConflictBody, 413: errorResponses[413] };

export const experienceRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { experiences } = services;

  app.get(
    '/experiences',
    {
      schema: {
        tags: TAGS,
        summary: 'List the experiences in priority order',
        description: 'A bare array, highest priority first. `status` is derived from the versions; `_cms` appears once a version has variants.',
        headers: ProjectHeaders,
        response: { 200: z.array(Experience), ...readErrors },
      },
    },
    async (request) => (await experiences.listExperiences(requireActor(request), projectUidFromHeader(request))).map(experienceJson),
  );

  app.post(
    '/experiences',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an experience (with its first DRAFT version)',
        description:
          'Answers 201 with `latestVersion` = the new draft. Appended at the bottom of the priority order. Server-owned fields the CLI re-posts ' +
          '(`uid`, `_id`, `shortUid`, `status`, `latestVersion`, `_cms`, …) are ignored. Tags are lower-cased and de-duplicated (≤ 10, ≤ 32 chars, `[a-zA-Z0-9-_:]`). ' +
          '400 `personalization.EXPERIENCES.MAX_EXPERIENCES_COUNT_EXCEEDED` at the project limit.',
        headers: ProjectHeaders,
        body: ExperienceCreateRequest,
        response: { 201: Experience, ...writeErrors },
      },
    },
    async (request, reply) => {
      const created = await experiences.createExperience(requireActor(request), projectUidFromHeader(request), {
        name: request.body.name,
        description: request.body.description,
        type: request.body.__type,
        tags: request.body.tags,
      });
      return reply.status(201).header('etag', formatEtag(created.version)).send(experienceJson(created));
    },
  );

  app.get(
    '/experiences/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Get an experience',
        description: 'Summary fields only (variants are on the versions). Carries an `ETag` with its `version`. Poll it for `_cms`.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        response: { 200: Experience, ...readErrors },
      },
    },
    async (request, reply) => {
      const view = await experiences.getExperience(requireActor(request), projectUidFromHeader(request), request.params.uid);
      reply.header('etag', formatEtag(view.version));
      return experienceJson(view);
    },
  );

  app.put(
    '/experiences/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Update experience-level fields (name, description, type, tags)',
        description:
          'Absent fields are unchanged, `null` clears description and tags. Variants change through the versions. A stale `If-Match` or body `version` → ' +
          '409 `personalize.EXPERIENCES.VERSION_CONFLICT` with `current`. Changing `__type` once a version has variants → 400 `personalize.EXPERIENCES.CANNOT_CHANGE_TYPE`.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        body: ExperienceUpdateRequest,
        response: { 200: Experience, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const view = await experiences.updateExperience(
        requireActor(request),
        projectUidFromHeader(request),
        request.params.uid,
        { name: body.name, description: body.description, type: body.__type, tags: body.tags, version: body.version },
        request.headers['if-match'],
      );
      reply.header('etag', formatEtag(view.version));
      return experienceJson(view);
    },
  );

  app.delete(
    '/experiences/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an experience in any state',
        description: 'Deletes its versions too and removes it from the priority order. Honors `If-Match`.',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        response: { 204: z.null(), ...readErrors, 409: ConflictBody },
      },
    },
    async (request, reply) => {
      await experiences.deleteExperience(requireActor(request), projectUidFromHeader(request), request.params.uid, request.headers['if-match']);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/experiences-priority',
    {
      schema: {
        tags: TAGS,
        summary: 'Get the experience priority order',
        description: 'Experience uids, highest priority first.',
        headers: ProjectHeaders,
        response: { 200: ExperiencePriority, ...readErrors },
      },
    },
    async (request) => ({ priorityOrder: await experiences.getPriority(requireActor(request), projectUidFromHeader(request)) }),
  );

  app.put(
    '/experiences-priority',
    {
      schema: {
        tags: TAGS,
        summary: 'Set the experience priority order',
        description:
          'The FULL set of the project\'s experience uids, highest first. Missing, unknown or repeated uids → 400 ' +
          '`personalize.EXPERIENCES_PRIORITY.MISSING_EXPERIENCES` with `missing`, `unknown` and `duplicates`.',
        headers: ProjectHeaders,
        body: ExperiencePriorityRequest,
        response: { 200: ExperiencePriority, ...readErrors },
      },
    },
    async (request) => ({
      priorityOrder: await experiences.setPriority(requireActor(request), projectUidFromHeader(request), request.body.priorityOrder),
    }),
  );
};
