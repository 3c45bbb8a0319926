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

/** Random per process, as in an ObjectId: uids of two processes differ even in the same second. */
const PROCESS_PART = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

/**
 * `count` uids laid out like an ObjectId: seconds, a per-process random part, then a counter.
 * Within a process they increase, so a table keyed by them (raw edge events, written thousands
 * per second) appends to its index instead of touching a random page per row; and one call costs
 * no system call, where newUid's random source costs one each.
 */
export function newOrderedUids(count: number, nowMs: number = Date.now()): string[] {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    counter = (counter + 1) & 0xffffff;
    out.push(seconds + PROCESS_PART + counter.toString(16).padStart(6, '0'));
  }
  return out;
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
