import { randomBytes, randomUUID } from 'node:crypto';

const UID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * A 24-character lowercase hex uid, ObjectId-like: 8 hex of seconds since the epoch, then 16 of
 * randomness. No `-` or `_`: the Contentstack CLI splits on `-` and the edge SDK on `_`.
 */
export function newUid(nowMs: number = Date.now()): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  return seconds + randomBytes(8).toString('hex');
}

export function isUid(value: unknown): value is string {
  return typeof value === 'string' && UID_PATTERN.test(value);
}

/** An opaque secret for tokens and invitation links (URL-safe). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newVisitorUid(): string {
  return randomUUID();
}

/** Base-36 counter used for experience shortUids ("0".."9","a".."z","10"...). */
export function toShortUid(counter: number): string {
  return counter.toString(36);
}
