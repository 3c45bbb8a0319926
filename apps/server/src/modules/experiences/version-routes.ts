import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConflictBody, ProjectHeaders, ResourceUidParams, Version, VersionCreateRequest, VersionParams, VersionWriteRequest, errorResponses } from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { formatEtag } from '../resources/index.js';
import { versionJson } from './experience-view.js';
import type { RequestedStatus } from './version-service.js';

const TAGS = ['Experience versions'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };
const writeErrors = { ...readErrors, 409: ConflictBody, 413: errorResponses[413] };

/** The Contentstack CLI keys a paused version as `PAUSE` (real-clients §2.4). */
function statusOf(sent: 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'PAUSE'): RequestedStatus {
  return sent === 'PAUSE' ? 'PAUSED' : sent;
}

const TRANSITIONS =
  'State machine (spec §1.6.1): DRAFT → DRAFT saves (a draft may be incomplete); DRAFT → ACTIVE activates (needs ≥ 1 variant each with ≥ 1 audience for ' +
  'segmented, ≥ 2 variants summing to 100 % for A/B; archives the previous live version; starts a new analytics period); DRAFT → PAUSED activates paused; ' +
  'ACTIVE ↔ PAUSED only with unchanged variants / target group / metrics (shortUids may be omitted) else 400 ' +
  '`personalize.EXPERIENCES.VERSIONS.CANNOT_UPDATE_LOCKED_VERSION`; ACTIVE/PAUSED → DRAFT → 400 `…CANNOT_MARK_VERSION_AS_DRAFT`; ARCHIVED is read-only. ' +
  'Missing status → `errors.status` STATUS_REQUIRED, wrong → INVALID_STATUS; missing variants → `errors.variants` VARIANTS_NOT_ARRAY. `PAUSE` = PAUSED.';

export const versionRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { versions } = services;

  app.get(
    '/experiences/:uid/versions',
    {
      schema: {
        tags: TAGS,
        summary: 'List the versions of an experience, newest first',
        description: 'A bare array; `[0]` is the newest. There is no GET of a single version (as in Contentstack).',
        headers: ProjectHeaders,
        params: ResourceUidParams,
        response: { 200: z.array(Version), ...readErrors },
      },
    },
    async (request) => (await versions.listVersions(requireActor(request), projectUidFromHeader(request), request.params.uid)).map(versionJson),
  );

  app.post(
    '/experiences/:uid/versions',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a version (normally a new DRAFT)',
        description:
          'A second draft → 400 `personalize.EXPERIENCES.VERSIONS.CANNOT_CREATE_VERSION_AS_DRAFT_ALREADY_EXISTS`. `fromVersion` (a version uid or "ACTIVE") ' +
          'clones that version into the draft ("Create Draft" in the console); sent shortUids must name variants this experience already has. ' +
          'status ACTIVE / PAUSED / PAUSE creates the version and activates it at once (the CLI re-creating exported versions). ' +
          TRANSITIONS,
        headers: ProjectHeaders,
        params: ResourceUidParams,
        body: VersionCreateRequest,
        response: { 201: Version, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const created = await versions.createVersion(requireActor(request), projectUidFromHeader(request), request.params.uid, {
        status: statusOf(body.status),
        variants: body.variants,
        targeting: body.targeting,
        metrics: body.metrics,
        variantSplit: body.variantSplit,
        fromVersion: body.fromVersion,
      });
      return reply.status(201).header('etag', formatEtag(created.version)).send(versionJson(created));
    },
  );

  app.put(
    '/experiences/:uid/versions/:versionUid',
    {
      schema: {
        tags: TAGS,
        summary: 'Replace a version (and change its status)',
        description: `The whole version is replaced. A stale \`If-Match\` or body \`version\` → 409 \`personalize.EXPERIENCES.VERSIONS.VERSION_CONFLICT\` with \`current\`. ${TRANSITIONS}`,
        headers: ProjectHeaders,
        params: VersionParams,
        body: VersionWriteRequest,
        response: { 200: Version, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { body, params } = request;
      // The CLI PUTs another project's exported version, whose `version` means nothing here.
      const ownCopy = body.uid === undefined || body.uid === params.versionUid;
      const updated = await versions.updateVersion(
        requireActor(request),
        projectUidFromHeader(request),
        params.uid,
        params.versionUid,
        {
          status: statusOf(body.status),
          variants: body.variants,
          targeting: body.targeting,
          metrics: body.metrics,
          variantSplit: body.variantSplit,
          version: ownCopy ? body.version : undefined,
        },
        request.headers['if-match'],
      );
      reply.header('etag', formatEtag(updated.version));
      return versionJson(updated);
    },
  );

  app.delete(
    '/experiences/:uid/versions/:versionUid',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a version',
        description:
          'ACTIVE → 400 `personalize.EXPERIENCES.VERSIONS.CANNOT_DELETE_ACTIVE_VERSION`; the draft while no live version exists → 400 ' +
          '`…CANNOT_DELETE_ONLY_DRAFT`; a PAUSED version without a draft → 400 `…CANNOT_DELETE_LAST_VERSION`. Archived versions may be deleted. Honors `If-Match`.',
        headers: ProjectHeaders,
        params: VersionParams,
        response: { 204: z.null(), ...readErrors, 409: ConflictBody },
      },
    },
    async (request, reply) => {
      await versions.deleteVersion(requireActor(request), projectUidFromHeader(request), request.params.uid, request.params.versionUid, request.headers['if-match']);
      return reply.status(204).send(null);
    },
  );
};
