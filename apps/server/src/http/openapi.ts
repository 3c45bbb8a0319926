import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** Answers that come from the transport, before any route runs, in the same error shape. */
const ANY_ROUTE_ERRORS =
  'Any operation may also answer 414 `personalize.REQUEST.URI_TOO_LONG` (a path segment over 200 characters), ' +
  '431 `personalize.REQUEST.HEADERS_TOO_LARGE`, 400 for a request that is not valid HTTP or has an undecodable path, ' +
  'and 500 `personalize.INTERNAL_ERROR` with a request id to quote.';

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
      info: { title: info.title, description: `${info.description}\n\n${ANY_ROUTE_ERRORS}`, version: '1.0.0' },
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
