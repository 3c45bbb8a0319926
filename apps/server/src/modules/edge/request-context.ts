import { EDGE_LIMITS } from '@tailor/contract';
import { ValidationError } from '../../shared/errors.js';
import { unstorableJsonIssues } from '../../shared/unstorable-input.js';
import type { VisitorAttributes } from '../visitors/index.js';

/** The raw request facts the edge decides from; routes fill it from headers, tests by hand. */
export interface EdgeRequestFacts {
  /** `x-cs-personalize-user-uid` as received. */
  visitorUid?: string | undefined;
  /** The client address: the peer's, or X-Forwarded-For's through trusted proxies. */
  ip?: string | undefined;
  /** ISO 3166-1 alpha-2 country a trusted CDN named; overrides the address's country. */
  country?: string | undefined;
  userAgent?: string | undefined;
  referer?: string | undefined;
  pageUrl?: string | undefined;
  /** `x-live-attributes` as received (JSON text). */
  liveAttributes?: string | undefined;
  tags?: string | readonly string[] | undefined;
}

// Printable ASCII without spaces: what a cookie or header can carry back unchanged.
const VISITOR_UID = /^[\x21-\x7e]{1,128}$/;

/**
 * The visitor uid from a header, or undefined when absent or unusable. The SDK sends the literal
 * string "null" when it lost the id (real-clients.md §1.3), so that counts as absent too.
 */
export function readVisitorUid(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === 'null' || raw === 'undefined') return undefined;
  return VISITOR_UID.test(raw) ? raw : undefined;
}

/** Whether a visitor uid from a body or a required header is acceptable. */
export function isVisitorUid(value: string): boolean {
  return VISITOR_UID.test(value) && value !== 'null' && value !== 'undefined';
}

/** A visitor uid a request must carry (events, attribute patches): missing or unusable → 400. */
export function requireVisitorUid(raw: string | undefined): string {
  if (raw === undefined || raw === '') {
    throw ValidationError.single('headers.x-cs-personalize-user-uid', 'Expected the x-cs-personalize-user-uid header with the visitor uid.');
  }
  if (!isVisitorUid(raw)) {
    throw ValidationError.single('headers.x-cs-personalize-user-uid', 'Expected 1 to 128 printable characters without spaces.');
  }
  return raw;
}

/**
 * `x-live-attributes`: a JSON object of key → string | number | boolean, at most 8 KB, used for
 * this evaluation only. Keys the project does not define are ignored (the SDK also sends Lytics
 * audience slugs here), as are values that are not primitives. Not JSON or not an object → 400.
 */
export function parseLiveAttributes(raw: string | undefined): VisitorAttributes {
  if (raw === undefined || raw === '') return {};
  const path = 'headers.x-live-attributes';
  if (Buffer.byteLength(raw, 'utf8') > EDGE_LIMITS.liveAttributesBytes) {
    throw ValidationError.single(path, `Expected at most ${EDGE_LIMITS.liveAttributesBytes} bytes of JSON, received ${Buffer.byteLength(raw, 'utf8')}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ValidationError.single(path, 'Expected a JSON object of attribute values, received text that is not JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed;
    throw ValidationError.single(path, `Expected a JSON object of attribute values, received ${kind}.`);
  }
  // Live values are never stored as such, but recent-visitor records keep them (ADR 0081).
  const unstorable = unstorableJsonIssues(raw, parsed, path);
  if (unstorable.length > 0) throw new ValidationError(unstorable);
  const out: VisitorAttributes = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
  }
  return out;
}

/** `tags[]`: at most 10, OR-combined, case-insensitive; undefined means no filter. */
export function parseTags(raw: string | readonly string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = (typeof raw === 'string' ? [raw] : [...raw]).map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
  if (list.length > EDGE_LIMITS.tags) {
    throw ValidationError.single('query.tags[]', `Expected at most ${EDGE_LIMITS.tags} tags, received ${list.length}.`);
  }
  return list.length === 0 ? undefined : list;
}

/** Caps a free-text header (REFERRER, PAGE_URL) so a huge header cannot bloat stored records. */
export function boundedText(value: string | undefined, max = 2048): string | undefined {
  if (value === undefined || value === '') return undefined;
  return value.length > max ? value.slice(0, max) : value;
}
