import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createSoleProcessChannel, type ChangeChannel } from './cluster/change-channel.js';
import { createJobLeadership } from './cluster/job-leadership.js';
import { createPgChangeChannel } from './cluster/pg-change-channel.js';
import type { Config } from './config.js';
import type { Db } from './db/create-db.js';
import { describeDatabaseFailure, isDatabaseUnavailable } from './db/database-unavailable.js';
import { registerAuthentication } from './http/authentication.js';
import { visitorCountryReader } from './http/client-address.js';
import { registerConsole } from './http/console-static.js';
import { clientErrorReply, frameworkErrorReply, registerErrorHandler } from './http/error-handler.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerJsonBodyParser } from './http/json-body.js';
import { registerMetricsRoutes } from './http/metrics-routes.js';
import { managementRateLimit } from './http/management-rate-limit.js';
import { createLimitStore } from './limits/create-limit-store.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRequestInputCheck } from './http/request-input-check.js';
import { registerRequestLog } from './http/request-log.js';
import { registerSecurityHeaders, tailorSecurityOptions } from './http/security-headers.js';
import { identityRoutes } from './modules/identity/identity-routes.js';
import { invitationRoutes } from './modules/members/invitation-routes.js';
import { memberRoutes } from './modules/members/member-routes.js';
import { projectRoutes } from './modules/projects/project-routes.js';
import { attributeRoutes } from './modules/attributes/attribute-routes.js';
import { audienceRoutes } from './modules/audiences/audience-routes.js';
import { auditRoutes } from './modules/audit/audit-routes.js';
import { eventRoutes } from './modules/events/event-routes.js';
import { experienceRoutes } from './modules/experiences/experience-routes.js';
import { versionRoutes } from './modules/experiences/version-routes.js';
import { edgeRoutes } from './modules/edge/edge-routes.js';
import { analyticsRoutes } from './modules/analytics/analytics-routes.js';
import { interopRoutes } from './modules/interop/interop-routes.js';
import { cmaStubRoutes } from './modules/interop/cma-stub-routes.js';
import { impactRoutes } from './modules/impact/impact-routes.js';
import { createServices, type Services } from './services.js';
import { systemClock, type Clock } from './shared/clock.js';

export interface AppDeps {
  config: Config;
  db: Db;
  clock?: Clock;
  /** Tests pass false to keep output quiet, or a stream to read the log lines. */
  logger?: boolean | { write(line: string): void };
  webDist?: string;
  /**
   * How this process hears of the other processes' changes. By default PostgreSQL's LISTEN/NOTIFY,
   * or nothing to hear when this process is alone on its SQLite file; SQLite workers pass IPC.
   */
  changeChannel?: ChangeChannel;
  /** False in the workers of `serve --workers N`: their primary runs the background jobs. */
  backgroundJobs?: boolean;
  /** In those workers: `/metrics` answers with the whole instance's metrics, gathered by the primary. */
  clusterMetrics?: () => Promise<string>;
}

export type App = FastifyInstance & { services: Services };

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole server without listening: main.ts listens, tests use `inject`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            ...(typeof deps.logger === 'object' ? { stream: deps.logger } : {}),
            redact: ['req.headers.authtoken', 'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
          },
    bodyLimit: deps.config.bodyLimit,
    // registerRequestLog writes one line per request, and only those REQUEST_LOG asks for.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    // 20 KB user-agents and similar must be answered, not crash the parser.
    routerOptions: { maxParamLength: 200 },
    // The client address and protocol come from X-Forwarded-* only through trusted hops.
    trustProxy: deps.config.trustProxy,
    frameworkErrors: frameworkErrorReply,
    clientErrorHandler: clientErrorReply,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerJsonBodyParser(app);
  registerRequestLog(app, deps.config.requestLog);
  registerErrorHandler(app);
  // A keep-alive socket whose request is in flight at shutdown would hold close() open until its
  // timeout (72 s): once closing, each response ends its connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  await app.register(cookie);
  registerSecurityHeaders(app, tailorSecurityOptions(deps.config.publicUrl));
  // After the security headers, so its 400s carry them; before authentication reads any header.
  registerRequestInputCheck(app);
  await app.register(rateLimit, { global: false });

  const channel =
    deps.changeChannel ??
    (deps.db.dialect === 'postgres'
      ? createPgChangeChannel({
          db: deps.db,
          origin: randomUUID(),
          warn: (err, message) => app.log.warn({ err }, message),
          info: (message) => app.log.info(message),
        })
      : createSoleProcessChannel());
  // One store for the app's log-in lockouts and rate limits, shared through REDIS_URL (ADR 0097).
  const limits = createLimitStore(deps.config.redis, { now: () => clock.now().getTime(), log: app.log });
  app.addHook('onReady', async () => limits.open());
  app.addHook('onClose', async () => limits.close());
  // An outage fails every background step until it ends: a warning each, not a stack.
  const logBackgroundFailure = (err: unknown, context: string) =>
    isDatabaseUnavailable(err)
      ? app.log.warn(`background step waits for the database: ${context}: ${describeDatabaseFailure(err)}`)
      : app.log.error({ err }, `background failure: ${context}`);
  const services = createServices({
    config: deps.config,
    db: deps.db,
    limits,
    clock,
    channel,
    logError: logBackgroundFailure,
  });
  // Buffered recent-visitor sightings are written before the database closes (ADR 0044).
  app.addHook('onClose', async () => services.recentVisitors.close());
  // Accepted edge events still waiting for their group commit are written too (ADR 0075).
  app.addHook('onClose', async () => services.edgeEvents.close());
  // Other processes' changes arrive from the start; the poll covers while the channel is down.
  app.addHook('onReady', async () => {
    await channel.start();
    services.changeFollower.start();
  });
  app.addHook('onClose', async () => {
    services.changeFollower.stop();
    await channel.close();
  });
  // The analytics rollup loop and retention timer run on one process of the installation (ADR 0050, 0094).
  if (deps.backgroundJobs !== false) {
    const leadership = createJobLeadership({
      db: deps.db,
      jobs: {
        start: () => services.analytics.start((err) => logBackgroundFailure(err, 'analytics')),
        stop: () => services.analytics.stop(),
      },
      warn: (err, message) => app.log.warn({ err }, message),
      info: (message) => app.log.info(message),
    });
    services.metrics.watchBackgroundJobs(leadership);
    app.addHook('onReady', async () => leadership.start());
    app.addHook('onClose', async () => leadership.close());
  }
  if (deps.clusterMetrics) services.metrics.joinCluster(deps.clusterMetrics);
  registerHealthRoutes(app, deps.db);
  // Before the module routes, so that its duration hook sees every route (ADR 0088).
  registerMetricsRoutes(app, services.metrics, deps.config.metricsToken);
  const limitManagementRate = managementRateLimit(deps.config.managementRateLimit, limits);

  await app.register(
    async (api) => {
      registerAuthentication(api, services.identity);
      limitManagementRate(api);
      await registerOpenApi(api, {
        title: 'Tailor Management API',
        description: 'Contentstack Personalize-compatible Management API of Tailor.',
        serverUrl: '/api',
      });
      await api.register(identityRoutes, { services });
      await api.register(projectRoutes, { services });
      await api.register(memberRoutes, { services });
      await api.register(invitationRoutes, { services });
      await api.register(attributeRoutes, { services });
      await api.register(audienceRoutes, { services });
      await api.register(impactRoutes, { services });
      await api.register(eventRoutes, { services });
      await api.register(experienceRoutes, { services });
      await api.register(versionRoutes, { services });
      await api.register(auditRoutes, { services });
      await api.register(analyticsRoutes, { services });
      await api.register(interopRoutes, { services });
    },
    { prefix: '/api' },
  );

  await app.register(
    async (edge) => {
      await registerOpenApi(edge, {
        title: 'Tailor Edge API',
        description: 'Contentstack Personalize-compatible Edge API: manifest, user attributes, events.',
        serverUrl: '/edge',
      });
      await edge.register(edgeRoutes, { services, visitorCountry: visitorCountryReader(deps.config.trustProxy, deps.config.geoCountryHeader) });
    },
    { prefix: '/edge' },
  );

  // The few CMA calls the Contentstack CLI makes around a Personalize export/import: a minimal stub, not a CMS (ADR 0062).
  await app.register(
    async (cma) => {
      registerAuthentication(cma, services.identity);
      limitManagementRate(cma);
      await cma.register(cmaStubRoutes, { services });
    },
    { prefix: '/v3' },
  );

  await registerConsole(app, deps.webDist);
  return Object.assign(app, { services }) as unknown as App;
}
