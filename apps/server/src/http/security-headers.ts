import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for `options`, computed once. Without CSP nonces every one of them is
 * the same on every response; @fastify/helmet rebuilt helmet (and re-parsed the CSP directives)
 * on each request, about a tenth of the CPU of a small response.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  // helmet's middlewares run synchronously and touch only setHeader/removeHeader.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) throw failure;
  return Object.freeze(headers);
}

/**
 * Tailor's policy. Browsers are told to upgrade to https (`upgrade-insecure-requests`, HSTS)
 * and to isolate the window (COOP) only when PUBLIC_URL says users reach Tailor over https: over plain http on any host but
 * localhost those would make the browser fetch every asset over https and fail, leaving a
 * blank console.
 */
export function tailorSecurityOptions(publicUrl: URL | null): HelmetOptions {
  const https = publicUrl?.protocol === 'https:';
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine injects its CSS variables at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // Browsers honour COOP only in secure contexts, and print an error for it on any other.
    crossOriginOpenerPolicy: https ? { policy: 'same-origin' } : false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  };
}

/** Sets helmet's headers (computed once at start-up) on every response. */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
