import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CurrentUser, LoginRequest, LoginResponse, OrganizationUser, SetupRequest, SetupStatus, errorResponses } from '@tailor/contract';
import { CSRF_COOKIE, requireActor, SESSION_COOKIE } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import { loginClient, sendSession } from './session-cookies.js';

export const identityRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { identity } = services;

  app.get(
    '/setup',
    { schema: { tags: ['Identity'], summary: 'Whether the first-run screen must create the owner', response: { 200: SetupStatus } } },
    async () => ({ needsSetup: await identity.needsSetup() }),
  );

  app.post(
    '/setup',
    {
      schema: {
        tags: ['Identity'],
        summary: 'Create the organization owner on first run',
        body: SetupRequest,
        response: { 201: LoginResponse, 400: errorResponses[400], 403: errorResponses[403], 409: errorResponses[404] },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const session = await identity.setup(request.body);
      return reply.status(201).send(sendSession(request, reply, session));
    },
  );

  app.post(
    '/user-session',
    {
      schema: {
        tags: ['Identity'],
        summary: 'Log in',
        description: 'Returns an authtoken and sets the console session cookie. Wrong email or password → 401, the same either way.',
        body: LoginRequest,
        response: {
          200: LoginResponse,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          429: errorResponses[429],
        },
      },
    },
    async (request, reply) => {
      const session = await identity.login(request.body.user.email, request.body.user.password, loginClient(request));
      return sendSession(request, reply, session);
    },
  );

  app.delete(
    '/user-session',
    { schema: { tags: ['Identity'], summary: 'Log out', response: { 204: z.null(), 401: errorResponses[401] } } },
    async (request, reply) => {
      requireActor(request);
      if (request.authToken) await identity.logout(request.authToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/user',
    { schema: { tags: ['Identity'], summary: 'The logged-in user', response: { 200: CurrentUser, 401: errorResponses[401] } } },
    async (request) => {
      const actor = requireActor(request);
      const user = await identity.getUser(actor.userUid);
      const organization = await identity.getOrganization();
      if (!user) throw new Error('authenticated user disappeared');
      return {
        uid: user.uid,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        orgRole: user.orgRole,
        organization,
      };
    },
  );

  app.get(
    '/users',
    {
      schema: {
        tags: ['Identity'],
        summary: "The organization's users (org Owners/Admins)",
        response: { 200: z.array(OrganizationUser), 401: errorResponses[401], 403: errorResponses[403] },
      },
    },
    async (request) => identity.listOrganizationUsers(requireActor(request)),
  );
};
