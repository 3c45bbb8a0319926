import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginRequest } from '@tailor/contract';
import { requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { loginClient, type Actor } from '../identity/index.js';

/**
 * A minimal stand-in for the few CMA calls (`/v3`) the Contentstack CLI makes around a
 * Personalize export/import (real-clients.md §2; ADR 0062). Tailor is not a CMS: nothing here
 * stores content. The stack is the `api_key` header, matched against projects'
 * `connectedStackApiKey`.
 * - `POST /v3/user-session`: `csdx auth:login` — Tailor's own login, CMA-shaped answer.
 * - `GET /v3/stacks`, `GET /v3/locales`: what `cm:stacks:import` reads before its modules run
 *   (the organization uid, a master locale).
 * - `GET|PUT /v3/variant_groups`: the experiences step. A variant group is the `_cms.variantGroup`
 *   Tailor mints per experience and never has content types; an update is acknowledged, not stored.
 */
const VariantGroup = z.object({ uid: z.string(), name: z.string(), content_types: z.array(z.unknown()) }).loose();
const StackHeaders = z.looseObject({ api_key: z.string().max(100).optional() });
const MASTER_LOCALE = { code: 'en-us', name: 'English - United States', fallback_locale: null, uid: 'tailor_master_locale' };

function stackKey(apiKey: string | undefined): string {
  if (apiKey === undefined || apiKey === '') throw ValidationError.single('api_key', 'Expected the api_key header of the stack, received nothing.');
  return apiKey;
}

interface Group {
  uid: string;
  name: string;
  content_types: unknown[];
}

async function stackGroups(services: Services, actor: Actor, apiKey: string, experienceUid?: string): Promise<Group[]> {
  const groups: Group[] = [];
  for (const project of await services.projects.listProjects(actor, { connectedStackApiKey: apiKey })) {
    for (const e of await services.experiences.listExperiences(actor, project.uid)) {
      if (experienceUid === undefined || e.uid === experienceUid) groups.push({ uid: e.variantGroup, name: e.name, content_types: [] });
    }
  }
  return groups;
}

export const cmaStubRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.post(
    '/user-session',
    { schema: { body: LoginRequest } },
    async (request) => {
      const session = await services.identity.login(request.body.user.email, request.body.user.password, loginClient(request));
      const { user } = session;
      return {
        notice: 'Login Successful.',
        user: { uid: user.uid, email: user.email, first_name: user.firstName, last_name: user.lastName, authtoken: session.token },
      };
    },
  );

  app.get('/stacks', { schema: { headers: StackHeaders } }, async (request) => {
    const actor = requireActor(request);
    const apiKey = stackKey(request.headers.api_key);
    const [project] = await services.projects.listProjects(actor, { connectedStackApiKey: apiKey });
    // The target stack of an import has no project yet: any key is a stack of this organization.
    return { stack: { api_key: apiKey, name: project?.name ?? apiKey, org_uid: actor.orgUid, master_locale: MASTER_LOCALE.code } };
  });

  app.get('/locales', { schema: { headers: StackHeaders } }, async (request) => {
    requireActor(request);
    stackKey(request.headers.api_key);
    return { locales: [MASTER_LOCALE], count: 1 };
  });

  app.get(
    '/variant_groups',
    { schema: { headers: StackHeaders, querystring: z.looseObject({ experience_uid: z.string().max(100).optional() }) } },
    async (request) => {
      const groups = await stackGroups(services, requireActor(request), stackKey(request.headers.api_key), request.query.experience_uid);
      return { variant_groups: groups, count: groups.length };
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
      const groups = await stackGroups(services, requireActor(request), stackKey(request.headers.api_key));
      const group = groups.find((g) => g.uid === request.params.uid);
      if (!group) throw new NotFoundError('cms.VARIANT_GROUPS.NOT_FOUND', `Variant group ${request.params.uid} was not found in this stack.`);
      const sent = request.body ?? {};
      const contentTypes = Array.isArray(sent.content_types) ? sent.content_types : [];
      return { notice: 'Variant group updated (Tailor keeps no CMS; nothing was stored).', variant_group: { ...sent, uid: group.uid, name: group.name, content_types: contentTypes } };
    },
  );
};
