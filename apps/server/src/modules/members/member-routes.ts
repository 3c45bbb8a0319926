import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangeMemberRoleRequest,
  InviteUsersRequest,
  ProjectInvitationParams,
  ProjectParams,
  ProjectUser,
  ProjectUserParams,
  conflictResponse,
  errorResponses,
} from '@tailor/contract';
import { requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';

const TAGS = ['Project users'];
const errors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };

/** Settings → Users: members and pending invitations of one project. */
export const memberRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { members, invitations } = services;

  app.get(
    '/projects/:uid/users',
    {
      schema: {
        tags: TAGS,
        summary: "A project's members and pending invitations",
        description: 'Any project member may read it; `invitationUrl` is filled for project managers only.',
        params: ProjectParams,
        response: { 200: z.array(ProjectUser), ...errors },
      },
    },
    async (request) => members.listProjectUsers(requireActor(request), request.params.uid),
  );

  app.post(
    '/projects/:uid/invitations',
    {
      schema: {
        tags: TAGS,
        summary: 'Invite people to a project',
        description:
          'Answers the pending rows with their links (there is no mail server: share the link). Re-inviting a pending email ' +
          'replaces its link. An email that is already a member → 409 personalize.MEMBERS.ALREADY_MEMBER naming it.',
        params: ProjectParams,
        body: InviteUsersRequest,
        response: { 201: z.array(ProjectUser), ...errors, 413: errorResponses[413], ...conflictResponse },
      },
    },
    async (request, reply) => {
      const rows = await invitations.invite(requireActor(request), request.params.uid, request.body);
      return reply.status(201).send(rows);
    },
  );

  app.put(
    '/projects/:uid/users/:userUid',
    {
      schema: {
        tags: TAGS,
        summary: "Change a member's role",
        description: 'Demoting the last Owner → 400 personalize.MEMBERS.LAST_OWNER.',
        params: ProjectUserParams,
        body: ChangeMemberRoleRequest,
        response: { 200: ProjectUser, ...errors, 413: errorResponses[413] },
      },
    },
    async (request) => members.changeRole(requireActor(request), request.params.uid, request.params.userUid, request.body.role),
  );

  app.delete(
    '/projects/:uid/users/:userUid',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove a member',
        description: 'Removing the last Owner → 400 personalize.MEMBERS.LAST_OWNER.',
        params: ProjectUserParams,
        response: { 204: z.null().describe('Removed'), ...errors },
      },
    },
    async (request, reply) => {
      await members.removeMember(requireActor(request), request.params.uid, request.params.userUid);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/projects/:uid/invitations/:invitationUid',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke a pending invitation',
        params: ProjectInvitationParams,
        response: { 204: z.null().describe('Revoked'), ...errors },
      },
    },
    async (request, reply) => {
      await invitations.revoke(requireActor(request), request.params.uid, request.params.invitationUid);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:uid/invitations/:invitationUid/link',
    {
      schema: {
        tags: TAGS,
        summary: 'Issue a new link for a pending invitation',
        description:
          'Links are shown once, when issued (only their digest is stored). This answers the pending row with a new link; ' +
          'the old one stops working. Role and message are kept; the validity starts again.',
        params: ProjectInvitationParams,
        response: { 201: ProjectUser, ...errors },
      },
    },
    async (request, reply) => {
      const row = await invitations.reissue(requireActor(request), request.params.uid, request.params.invitationUid);
      return reply.status(201).send(row);
    },
  );
};
