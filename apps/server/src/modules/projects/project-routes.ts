import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateProjectRequest,
  OrganizationHeader,
  Project,
  ProjectListQuery,
  ProjectParams,
  UpdateProjectLimitsRequest,
  UpdateProjectRequest,
  conflictResponse,
  errorResponses,
} from '@tailor/contract';
import { requireActor } from '../../http/authentication.js';
import type { Services } from '../../services.js';
import type { ProjectView } from './project.js';

const TAGS = ['Projects'];

export function toProjectResponse(view: ProjectView): z.input<typeof Project> {
  return {
    uid: view.uid,
    _id: view.uid,
    name: view.name,
    description: view.description,
    organizationUid: view.orgUid,
    connectedStackApiKey: view.connectedStackApiKey,
    audienceCount: view.audienceCount,
    activeExperienceCount: view.activeExperienceCount,
    userCount: view.userCount,
    currentUserRole: view.currentUserRole,
    canManage: view.canManage,
    limits: view.limits,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    createdBy: view.createdBy,
    updatedBy: view.updatedBy,
    createdByUserName: view.createdByUserName,
    updatedByUserName: view.updatedByUserName,
  };
}

const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };
const writeErrors = { ...readErrors, 413: errorResponses[413] };

export const projectRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { projects } = services;

  app.get(
    '/projects',
    {
      schema: {
        tags: TAGS,
        summary: 'List the projects you can see',
        description:
          'Org Owners/Admins see every project, others the projects they belong to. A bare array, as the Contentstack CLI expects. ' +
          '`organization_uid`, when sent, must name this organization (403 personalize.PROJECTS.ORGANIZATION_MISMATCH otherwise).',
        querystring: ProjectListQuery,
        headers: OrganizationHeader,
        response: { 200: z.array(Project), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const list = await projects.listProjects(actor, {
        ...(request.query.connectedStackApiKey === undefined ? {} : { connectedStackApiKey: request.query.connectedStackApiKey }),
        ...(request.headers.organization_uid === undefined ? {} : { organizationUid: request.headers.organization_uid }),
      });
      return list.map(toProjectResponse);
    },
  );

  app.post(
    '/projects',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a project',
        description: 'Org Owners/Admins only. The creator becomes the project Owner. A name already used in the organization (any case) → 409 personalize.PROJECTS.DUPLICATE_NAME.',
        headers: OrganizationHeader,
        body: CreateProjectRequest,
        response: { 201: Project, ...writeErrors, ...conflictResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const created = await projects.createProject(actor, request.body, request.headers.organization_uid);
      return reply.status(201).send(toProjectResponse(created));
    },
  );

  app.get(
    '/projects/:uid',
    { schema: { tags: TAGS, summary: 'Get a project', params: ProjectParams, response: { 200: Project, ...readErrors } } },
    async (request) => toProjectResponse(await projects.getProject(requireActor(request), request.params.uid)),
  );

  app.put(
    '/projects/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a project',
        description: 'Patch semantics: an absent field is unchanged, null clears. Project Owners and org Owners/Admins.',
        params: ProjectParams,
        body: UpdateProjectRequest,
        response: { 200: Project, ...writeErrors, ...conflictResponse },
      },
    },
    async (request) => toProjectResponse(await projects.updateProject(requireActor(request), request.params.uid, request.body)),
  );

  app.delete(
    '/projects/:uid',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a project and everything in it',
        params: ProjectParams,
        response: { 204: z.null().describe('Deleted'), ...readErrors },
      },
    },
    async (request, reply) => {
      await projects.deleteProject(requireActor(request), request.params.uid);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/projects/:uid/limits',
    {
      schema: {
        tags: TAGS,
        summary: "Override a project's limits (Tailor extension)",
        description: 'Org Owner only. A number sets the limit, null returns it to the default; absent fields are unchanged. Answers the project with its effective limits.',
        params: ProjectParams,
        body: UpdateProjectLimitsRequest,
        response: { 200: Project, ...writeErrors },
      },
    },
    async (request) => toProjectResponse(await projects.updateLimits(requireActor(request), request.params.uid, request.body)),
  );
};
