import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AudienceBadRequest, ImpactPreview, ImpactRequest, NewAudienceImpactRequest, ProjectHeaders, ResourceUidParams, errorResponses } from '@tailor/contract';
import { projectUidFromHeader, requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';

const TAGS = ['Audiences'];
const errors = { 400: AudienceBadRequest, 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 413: errorResponses[413] };
const DESCRIPTION =
  'Evaluates the proposal against the project\'s recent visitors (the Edge API\'s record: last-seen presets and custom attributes; the time of the visit for DATE_AND_TIME) ' +
  'and decides, with the saved and with the proposed audience, every ACTIVE experience whose decision reads it. Nothing is saved. ' +
  'An invalid proposal gets the 400 a save would get. No recent visitors → `sampleSize: 0` and a `message`. ' +
  'Bounded to 2 s: past it, `partial: true` and the figures of the visitors evaluated (the most recent first). Project Owners and Members.';
// A console user typing refreshes the preview every few hundred milliseconds; generous, but bounded.
const rateLimit = { max: 300, timeWindow: '1 minute' };

export const impactRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { impact } = services;

  app.post(
    '/audiences/impact',
    {
      schema: { tags: TAGS, summary: 'Preview the impact of a new audience', description: DESCRIPTION, headers: ProjectHeaders, body: NewAudienceImpactRequest, response: { 200: ImpactPreview, ...errors } },
      config: { rateLimit },
    },
    async (request) => impact.previewImpact(requireActor(request), projectUidFromHeader(request), null, request.body),
  );

  app.post(
    '/audiences/:uid/impact',
    {
      schema: {
        tags: TAGS,
        summary: 'Preview the impact of an audience edit',
        description: `${DESCRIPTION} Absent fields keep their saved value. An audience of another project → 404.`,
        headers: ProjectHeaders,
        params: ResourceUidParams,
        body: ImpactRequest,
        response: { 200: ImpactPreview, ...errors },
      },
      config: { rateLimit },
    },
    async (request) => impact.previewImpact(requireActor(request), projectUidFromHeader(request), request.params.uid, request.body),
  );
};
