import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * Registers an OpenAPI 3.1 document generated from the route schemas of the calling scope, served
 * at `<prefix>/openapi`, with Swagger UI at `<prefix>/docs`.
 */
export async function registerOpenApi(
  scope: FastifyInstance,
  info: { title: string; description: string; serverUrl: string },
): Promise<void> {
  await scope.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: info.title, description: info.description, version: '1.0.0' },
      servers: [{ url: info.serverUrl }],
      components: {
        securitySchemes: {
          authtoken: { type: 'apiKey', in: 'header', name: 'authtoken' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Emits the schemas registered with `.meta({ id })` as components, so every $ref resolves.
    transformObject: jsonSchemaTransformObject,
  });
  scope.get('/openapi', { schema: { hide: true } }, async () => scope.swagger());
  // Swagger UI's page loads `./static/…`: without the trailing slash that resolves one level up.
  const bareDocs = `${scope.prefix}/docs`;
  scope.addHook('onRequest', async (request, reply) => {
    if (request.url === bareDocs) return reply.redirect(`${bareDocs}/`);
  });
  await scope.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI's page carries an inline style (its hidden icon sprite); its own policy allows
    // inline scripts by hash but no inline style, so the browser blocked it. Inline styles are
    // allowed console-wide already (Mantine's CSS variables).
    transformStaticCSP: (header) => header.replace(/style-src ([^;]*);/, "style-src $1 'unsafe-inline';"),
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
}
