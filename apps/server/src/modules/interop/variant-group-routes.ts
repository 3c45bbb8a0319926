import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Actor } from '../identity/index.js';

/**
 * A minimal stand-in for the two CMA calls the Contentstack CLI's experiences export and import
 * make (real-clients.md §2.3; ADR 0062). Tailor has no CMS: a variant group is the `_cms.variantGroup`
 * Tailor mints for each experience, it never has content types, and an update is acknowledged
 * without being stored. The stack is the `api_key` header, matched against the projects'
 * `connectedStackApiKey`.
 */
const VariantGroup = z.object({ uid: z.string(), name: z.string(), content_types: z.array(z.unknown()) }).loose();

const StackHeaders = z.looseObject({ api_key: z.string().max(100).optional() });

interface Group {
  uid: string;
  name: string;
  experienceUid: string;
  content_types: unknown[];
}

async function stackGroups(services: Services, actor: Actor, apiKey: string | undefined, experienceUid?: string): Promise<Group[]> {
  if (apiKey === undefined || apiKey === '') throw ValidationError.single('api_key', 'Expected the api_key header of the stack, received nothing.');
  const projects = await services.projects.listProjects(actor, { connectedStackApiKey: apiKey });
  const groups: Group[] = [];
  for (const project of projects) {
    const experiences = await services.experiences.listExperiences(actor, project.uid);
    for (const e of experiences) {
      if (experienceUid === undefined || e.uid === experienceUid) groups.push({ uid: e.variantGroup, name: e.name, experienceUid: e.uid, content_types: [] });
    }
  }
  return groups;
}

export const variantGroupRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/variant_groups',
    {
      schema: {
        headers: StackHeaders,
        querystring: z.looseObject({ experience_uid: z.string().max(100).optional() }),
        response: { 200: z.object({ variant_groups: z.array(VariantGroup), count: z.number().int() }) },
      },
    },
    async (request) => {
      const groups = await stackGroups(services, requireActor(request), request.headers.api_key, request.query.experience_uid);
      return { variant_groups: groups.map(({ uid, name, content_types }) => ({ uid, name, content_types })), count: groups.length };
    },
  );

  app.put(
    '/variant_groups/:uid',
    {
      schema: {
        headers: StackHeaders,
        // The CLI's CMA client leaks the previous call's `?experience_uid=` into this one: tolerated.
        querystring: z.looseObject({}),
        params: z.object({ uid: z.string().max(100) }),
        body: z.looseObject({}).nullish(),
        response: { 200: z.object({ notice: z.string(), variant_group: VariantGroup }) },
      },
    },
    async (request) => {
      const groups = await stackGroups(services, requireActor(request), request.headers.api_key);
      const group = groups.find((g) => g.uid === request.params.uid);
      if (!group) throw new NotFoundError('cms.VARIANT_GROUPS.NOT_FOUND', `Variant group ${request.params.uid} was not found in this stack.`);
      const sent = request.body ?? {};
      const contentTypes = Array.isArray(sent.content_types) ? sent.content_types : [];
      return { notice: 'Variant group updated (Tailor keeps no CMS; nothing was stored).', variant_group: { ...sent, uid: group.uid, name: group.name, content_types: contentTypes } };
    },
  );
};
