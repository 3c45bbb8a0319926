import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../shared/errors.js';
import { registerErrorHandler } from './error-handler.js';

describe('error handler', () => {
  it('answers an UnavailableError with 503, its code and a Retry-After header', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/busy', async () => {
      throw new UnavailableError('personalize.EVENTS.OVERLOADED', 'Too many events are waiting to be stored; retry in 2 s.', 2);
    });
    const response = await app.inject({ method: 'GET', url: '/busy' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toEqual({ error: 'personalize.EVENTS.OVERLOADED', message: 'Too many events are waiting to be stored; retry in 2 s.' });
    await app.close();
  });
});
