import proxyAddr from '@fastify/proxy-addr';
import type { FastifyRequest } from 'fastify';
import type { TrustProxy } from '../config.js';

/** Whether the peer a request came from directly is one TRUST_PROXY trusts. */
export function trustedPeerCheck(trust: TrustProxy): (address: string | undefined) => boolean {
  if (trust === false) return () => false;
  const isTrusted = typeof trust === 'function' ? trust : proxyAddr.compile(trust);
  return (address) => address !== undefined && isTrusted(address, 0);
}

// ISO 3166-1 alpha-2; CDNs send XX (unknown), T1 (Tor) or ZZ (unknown) when they do not know.
const COUNTRY = /^[A-Z]{2}$/;
const UNKNOWN_COUNTRIES = new Set(['XX', 'ZZ', 'T1', 'A1', 'A2', 'O1']);

/**
 * The visitor's country as the CDN in front of Tailor saw it (GEO_COUNTRY_HEADER, e.g.
 * `cf-ipcountry`), read only from a trusted proxy: anyone else could name their own country.
 */
export function visitorCountryReader(trust: TrustProxy, header: string | null): (request: FastifyRequest) => string | undefined {
  if (header === null || trust === false) return () => undefined;
  const isTrustedPeer = trustedPeerCheck(trust);
  return (request) => {
    const raw = request.headers[header];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toUpperCase();
    if (value === undefined || !COUNTRY.test(value) || UNKNOWN_COUNTRIES.has(value)) return undefined;
    return isTrustedPeer(request.socket.remoteAddress) ? value : undefined;
  };
}
