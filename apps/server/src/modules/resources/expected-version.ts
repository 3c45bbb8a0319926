import { ValidationError } from '../../shared/errors.js';

/** Strong ETag of a resource version (ADR 0020): the version number in quotes. */
export function formatEtag(version: number): string {
  return `"${version}"`;
}

const ETAG = /^(?:W\/)?"?([1-9][0-9]{0,9})"?$/;

/**
 * The versions a write claims to be based on: If-Match and/or the body's `version`. Empty when
 * the client sent neither (Contentstack clients) or `If-Match: *`, and then the write is accepted
 * unconditionally.
 */
export function expectedVersions(ifMatch: string | undefined, bodyVersion: number | undefined): number[] {
  const out: number[] = [];
  if (ifMatch !== undefined && ifMatch.trim() !== '' && ifMatch.trim() !== '*') {
    const match = ETAG.exec(ifMatch.trim());
    if (!match?.[1]) {
      throw ValidationError.single('if-match', `Expected one ETag such as "3" (from a previous response), received ${JSON.stringify(ifMatch.slice(0, 64))}.`);
    }
    out.push(Number(match[1]));
  }
  if (bodyVersion !== undefined) out.push(bodyVersion);
  return out;
}

/** True when any claimed version differs from the server's: the write is based on a stale copy. */
export function isStale(expected: readonly number[], current: number): boolean {
  return expected.some((v) => v !== current);
}
