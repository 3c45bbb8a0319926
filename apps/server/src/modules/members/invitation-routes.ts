import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AcceptInvitationRequest,
  AcceptInvitationResponse,
  InvitationInfo,
  InvitationTokenParams,
  errorResponses,
} from '@tailor/contract';
import { loginClient, sendSession } from '../identity/index.js';
import type { Services } from '../../services.js';

const TAGS = ['Invitations'];
// The token is the credential and accepting may check a password: slow down guessing.
const rateLimit = { max: 20, timeWindow: '1 minute' };

/** Public: the invitation link's page, and accepting it (which logs the invitee in). */
export const invitationRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { invitations } = services;

  app.get(
    '/invitations/:token',
    {
      schema: {
        tags: TAGS,
        summary: 'What an invitation link is for (no authentication)',
        params: InvitationTokenParams,
        response: { 200: InvitationInfo, 400: errorResponses[400], 404: errorResponses[404] },
      },
      config: { rateLimit },
    },
    async (request) => invitations.show(request.params.token),
  );

  app.post(
    '/invitations/:token/accept',
    {
      schema: {
        tags: TAGS,
        summary: 'Accept an invitation (no authentication)',
        description:
          'Without an account: `{user:{firstName,lastName,password}}` creates an org Member. With one: `{user:{password}}` ' +
          "checks that account's password (401 when wrong). Answers like login, plus `projectUid`, and sets the session cookies.",
        params: InvitationTokenParams,
        body: AcceptInvitationRequest,
        response: {
          200: AcceptInvitationResponse,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
          413: errorResponses[413],
          429: errorResponses[429],
        },
      },
      config: { rateLimit },
    },
    async (request, reply) => {
      const { session, projectUid } = await invitations.accept(request.params.token, request.body.user, loginClient(request));
      return { ...sendSession(request, reply, session), projectUid };
    },
  );
};
