import { LEFT_OUT, NO_VARIANT, buildSnapshot, type SnapshotExperience } from '@tailor/engine';
import { describe, expect, it } from 'vitest';
import { manifestEncoder, manifestWithPayloads } from './manifest-json.js';

const ab = (shortUid: string, variants: string[]): SnapshotExperience => ({
  uid: `uid-${shortUid}`,
  shortUid,
  type: 'AB_TEST',
  tags: [],
  active: { versionUid: 'v', salt: 's', variants: variants.map((v) => ({ shortUid: v })) },
});

// An integer-like shortUid ("10"), JSON escapes and non-ASCII text: what a hand-made encoder gets wrong.
const snapshot = buildSnapshot({
  attributeCatalog: { customAttributes: new Map() },
  audiences: [],
  experiences: [ab('a', ['0', '1']), { uid: 'u10', shortUid: '10', type: 'SEGMENTED', tags: [], active: null }, ab('q"x\\', ['0', '2']), ab('é✓', ['ß'])],
});
const outline = snapshot.outline;

/** What the body must be, written the obvious way (in priority order, as the SDK reads it). */
function expected(decided: Int32Array, payloadOf?: (e: string, v: string) => unknown): string {
  const list = outline.flatMap((e, k) => {
    const v = decided[k] as number;
    if (v === LEFT_OUT) return [];
    const variant = v === NO_VARIANT ? null : (e.outcomes[v] as string);
    return [{ shortUid: e.shortUid, activeVariantShortUid: variant, ...(payloadOf ? { payload: variant === null ? null : (payloadOf(e.shortUid, variant) ?? null) } : {}) }];
  });
  const map = list.map((e) => `${JSON.stringify(e.shortUid)}:${JSON.stringify(e.activeVariantShortUid)}`).join(',');
  return `{"experiences":${JSON.stringify(list)},"activeVariants":{${map}}}`;
}

/** Every combination of outcomes (left out, null, each variant) for the four experiences. */
function* combinations(): Generator<Int32Array> {
  const choices = outline.map((e) => [LEFT_OUT, NO_VARIANT, ...e.outcomes.map((_, v) => v)]);
  const total = choices.reduce((n, c) => n * c.length, 1);
  for (let n = 0; n < total; n++) {
    let rest = n;
    yield Int32Array.from(choices, (c) => {
      const pick = c[rest % c.length] as number;
      rest = Math.floor(rest / c.length);
      return pick;
    });
  }
}

describe('ManifestEncoder', () => {
  it('writes byte for byte the manifest of every combination of outcomes', () => {
    const encoder = manifestEncoder(snapshot);
    let count = 0;
    for (const decided of combinations()) {
      const body = encoder.encode(decided);
      expect(body).toBe(expected(decided));
      expect(JSON.parse(body)).toHaveProperty('experiences');
      count += 1;
    }
    expect(count).toBe(4 * 2 * 4 * 3);
  });

  it('reads only the outline’s slots of a longer, reused result', () => {
    const decided = Int32Array.from([0, NO_VARIANT, 1, 0, 9, 9, 9]);
    expect(manifestEncoder(snapshot).encode(decided)).toBe(expected(decided));
  });

  it('writes an empty manifest', () => {
    const empty = buildSnapshot({ attributeCatalog: { customAttributes: new Map() }, audiences: [], experiences: [] });
    expect(manifestEncoder(empty).encode(new Int32Array(4))).toBe('{"experiences":[],"activeVariants":{}}');
    expect(manifestEncoder(snapshot).encode(new Int32Array(4).fill(LEFT_OUT))).toBe('{"experiences":[],"activeVariants":{}}');
  });

  it('builds one encoder per snapshot', () => {
    expect(manifestEncoder(snapshot)).toBe(manifestEncoder(snapshot));
  });

  it('gives each response its own text, unaffected by the next one', () => {
    const encoder = manifestEncoder(snapshot);
    const a = Int32Array.from([0, NO_VARIANT, 1, 0]);
    const first = encoder.encode(a);
    encoder.encode(Int32Array.from([1, LEFT_OUT, NO_VARIANT, LEFT_OUT]));
    expect(first).toBe(expected(a));
  });

  it('writes non-ASCII shortUids as text a UTF-8 response carries unchanged', () => {
    const decided = Int32Array.from([LEFT_OUT, LEFT_OUT, LEFT_OUT, 0]);
    const body = manifestEncoder(snapshot).encode(decided);
    expect(body).toBe('{"experiences":[{"shortUid":"é✓","activeVariantShortUid":"ß"}],"activeVariants":{"é✓":"ß"}}');
    const ascii = buildSnapshot({ attributeCatalog: { customAttributes: new Map() }, audiences: [], experiences: [ab('a', ['0'])] });
    expect(manifestEncoder(ascii).encode(Int32Array.from([0]))).toBe('{"experiences":[{"shortUid":"a","activeVariantShortUid":"0"}],"activeVariants":{"a":"0"}}');
  });

  it('grows its scratch space for a manifest larger than 16 KB', () => {
    const many = buildSnapshot({
      attributeCatalog: { customAttributes: new Map() },
      audiences: [],
      experiences: Array.from({ length: 400 }, (_, i) => ab(`experience-${i}`, ['0', '1'])),
    });
    const decided = Int32Array.from({ length: 400 }, (_, i) => i % 3 - 1);
    const body = manifestEncoder(many).encode(decided);
    expect(body.length).toBeGreaterThan(16 * 1024);
    const parsed = JSON.parse(body) as { experiences: unknown[]; activeVariants: Record<string, string | null> };
    expect(parsed.experiences).toHaveLength(400);
    expect(parsed.activeVariants['experience-399']).toBe(null);
    expect(parsed.activeVariants['experience-1']).toBe('0');
  });
});

describe('manifestWithPayloads', () => {
  it('adds each decided variant’s payload, null for none, in the manifest’s order', () => {
    const payloads = new Map<string, unknown>([
      ['a/1', { hero: 'gold "big"', n: [1, 2] }],
      ['é✓/ß', 'text'],
    ]);
    const payloadOf = (e: string, v: string) => payloads.get(`${e}/${v}`);
    for (const decided of combinations()) {
      expect(manifestWithPayloads(snapshot, decided, payloadOf)).toBe(expected(decided, payloadOf));
    }
  });
});
