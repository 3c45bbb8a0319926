import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerSecurityHeaders, securityHeaders, tailorSecurityOptions } from './security-headers.js';

describe('security headers', () => {
  const options = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } }, crossOriginResourcePolicy: { policy: 'cross-origin' as const } };

  it("computes helmet's headers once, from the options", () => {
    const headers = securityHeaders(options);
    expect(headers['content-security-policy']).toContain("img-src 'self' data:");
    expect(headers).toMatchObject({ 'cross-origin-resource-policy': 'cross-origin', 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it('sets them on every response, errors included', async () => {
    const app = Fastify();
    registerSecurityHeaders(app, options);
    app.get('/ok', async () => ({ ok: true }));
    const expected = securityHeaders(options);
    for (const url of ['/ok', '/missing']) {
      const response = await app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(expected)) expect(response.headers[name]).toBe(value);
    }
    await app.close();
  });

  it('refuses options helmet refuses, at start-up', () => {
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { 'default-src': ['self'] } } })).toThrow();
  });
});

describe("Tailor's policy", () => {
  it('tells browsers to use https only when the public URL is https', () => {
    for (const publicUrl of [null, new URL('http://tailor.internal:4000')]) {
      const headers = securityHeaders(tailorSecurityOptions(publicUrl));
      expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(headers['strict-transport-security']).toBeUndefined();
      expect(headers['cross-origin-opener-policy']).toBeUndefined();
    }
    const https = securityHeaders(tailorSecurityOptions(new URL('https://tailor.example.com')));
    expect(https['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(https['strict-transport-security']).toBe('max-age=31536000');
    expect(https['cross-origin-opener-policy']).toBe('same-origin');
  });
});
