// MurmurHash3 x86_32 over UTF-8 bytes (ADR 0012). Hand-rolled UTF-8 because TextEncoder is not
// part of the ECMAScript library the engine is typed against; lone surrogates encode as U+FFFD,
// exactly as TextEncoder does.

/** Version of the bucketing scheme; bump it (and keep the old one) if the hash ever changes. */
export const HASH_VERSION = 1 as const;

/** UTF-8 encoding of a JS string. */
export function utf8Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3);
  return out.subarray(0, utf8Into(s, out));
}

/** Writes the UTF-8 encoding of `s` into `out` (at least 3 × s.length long); returns the byte count. */
export function utf8Into(s: string, out: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/** MurmurHash3 x86_32 of the bytes, as an unsigned 32-bit integer. */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  const blocks = bytes.length & ~3;
  return finish(mixBlocks(seed >>> 0, bytes, blocks), bytes, blocks, bytes.length, bytes.length);
}

/** Number of buckets; a bucket is 0.01 % of traffic. */
export const BUCKET_COUNT = 10_000;

/**
 * Deterministic bucket 0..9999 of a visitor for a seed:
 * murmur3_x86_32(UTF-8(seed + "|" + visitorUid), 0) mod 10000.
 */
export function hashToBucket(seed: string, visitorUid: string): number {
  return murmur3(utf8Bytes(`${seed}|${visitorUid}`), 0) % BUCKET_COUNT;
}

/** A seed with its full 4-byte blocks already mixed, so per-visitor hashing only mixes the rest. */
export interface PreparedSeed {
  readonly h: number;
  readonly processed: number;
  readonly tail: Uint8Array;
}

/** Precomputes hashToBucket's state for `seed + "|"`. */
export function prepareSeed(seed: string): PreparedSeed {
  const bytes = utf8Bytes(`${seed}|`);
  const processed = bytes.length & ~3;
  return { h: mixBlocks(0, bytes, processed), processed, tail: bytes.slice(processed) };
}

function mixBlocks(h: number, bytes: Uint8Array, end: number): number {
  for (let i = 0; i < end; i += 4) {
    let k = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return h;
}

/** Same result as hashToBucket(seed, uid) for the prepared seed and UTF-8 bytes of uid; `scratch` must hold 3 + uid bytes. */
export function bucketOfPrepared(p: PreparedSeed, uidBytes: Uint8Array, scratch: Uint8Array): number {
  return bucketOfPreparedN(p, uidBytes, uidBytes.length, scratch);
}

/** bucketOfPrepared for the first `uidLen` bytes of `uid`; `scratch` must hold 3 + uidLen bytes. */
export function bucketOfPreparedN(p: PreparedSeed, uid: Uint8Array, uidLen: number, scratch: Uint8Array): number {
  const t = p.tail.length;
  for (let i = 0; i < t; i++) scratch[i] = p.tail[i] as number;
  for (let i = 0; i < uidLen; i++) scratch[t + i] = uid[i] as number;
  const len = t + uidLen;
  const blocks = len & ~3;
  const h = mixBlocks(p.h, scratch, blocks);
  return finish(h, scratch, blocks, len, p.processed + len) % BUCKET_COUNT;
}

function finish(h: number, bytes: Uint8Array, blocks: number, len: number, totalLen: number): number {
  const rem = len - blocks;
  if (rem > 0) {
    let k = bytes[blocks] as number;
    if (rem > 1) k ^= (bytes[blocks + 1] as number) << 8;
    if (rem > 2) k ^= (bytes[blocks + 2] as number) << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= totalLen;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixK(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

/**
 * Per-visitor hashing state: the visitor uid's UTF-8 bytes with their 4-byte blocks pre-mixed
 * for each alignment (a prepared seed leaves 0–3 tail bytes before the uid). The block mixing
 * of the uid does not depend on the seed, so each bucket() only chains the pre-mixed blocks:
 * same result as bucketOfPrepared.
 */
export class UidHasher {
  private uid = '';
  private len = 0;
  private encoded = false;
  private bytes = new Uint8Array(96);
  private scratch = new Uint8Array(100);
  /** Per alignment t: mixed k of the blocks after the first partial one, then the remainder k. */
  private ks: Int32Array[] = [new Int32Array(34), new Int32Array(34), new Int32Array(34), new Int32Array(34)];
  private readonly ready = new Uint8Array(4);

  /** Starts a new visitor uid. */
  reset(uid: string): this {
    this.uid = uid;
    this.encoded = false;
    this.ready.fill(0);
    return this;
  }

  private encode(): void {
    const need = this.uid.length * 3;
    if (this.bytes.length < need) {
      this.bytes = new Uint8Array(need);
      this.scratch = new Uint8Array(need + 4);
      const blocks = (need >> 2) + 2;
      this.ks = [new Int32Array(blocks), new Int32Array(blocks), new Int32Array(blocks), new Int32Array(blocks)];
    }
    this.len = utf8Into(this.uid, this.bytes);
    this.encoded = true;
  }

  private prepare(t: number): Int32Array {
    const ks = this.ks[t] as Int32Array;
    const b = this.bytes;
    const total = t + this.len;
    const blocks = total >> 2;
    // Blocks j >= 1 (and j = 0 when t = 0) hold uid bytes only: uid[4j - t ..].
    let n = 0;
    for (let j = t > 0 ? 1 : 0; j < blocks; j++) {
      const o = 4 * j - t;
      ks[n++] = mixK((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24));
    }
    const rem = total & 3;
    if (rem > 0) {
      const o = 4 * blocks - t;
      let k = b[o] as number;
      if (rem > 1) k ^= (b[o + 1] as number) << 8;
      if (rem > 2) k ^= (b[o + 2] as number) << 16;
      ks[n] = mixK(k);
    }
    this.ready[t] = 1;
    return ks;
  }

  /** hashToBucket(seed, uid) for the prepared seed. */
  bucket(p: PreparedSeed): number {
    if (!this.encoded) this.encode();
    const len = this.len;
    if (len < 4) return bucketOfPreparedN(p, this.bytes, len, this.scratch);
    const tail = p.tail;
    const t = tail.length;
    const ks = this.ready[t] === 1 ? (this.ks[t] as Int32Array) : this.prepare(t);
    const b = this.bytes;
    const total = t + len;
    const blocks = total >> 2;
    let h = p.h;
    let j = 0;
    if (t > 0) {
      let k = 0;
      for (let q = 0; q < 4; q++) k |= (q < t ? (tail[q] as number) : (b[q - t] as number)) << (8 * q);
      h ^= mixK(k);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      j = 1;
    }
    let n = 0;
    for (; j < blocks; j++) {
      h ^= ks[n++] as number;
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    if ((total & 3) > 0) h ^= ks[n] as number;
    h ^= p.processed + total;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) % BUCKET_COUNT;
  }
}
