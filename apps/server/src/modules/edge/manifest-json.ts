import type { ManifestResult } from './edge-service.js';

type Decision = ManifestResult['experiences'][number];

/** One decision's two pieces of JSON, each with a leading comma: the list item and the map entry. */
interface DecisionJson {
  readonly item: Buffer;
  readonly entry: Buffer;
}

interface ExperienceJson {
  readonly none: DecisionJson;
  readonly byVariant: Map<string, DecisionJson>;
}

const HEAD = Buffer.from('{"experiences":[');
const MIDDLE = Buffer.from('],"activeVariants":{');
const TAIL = Buffer.from('}}');

// Experience and variant shortUids repeat on every request, so their JSON is encoded once. Keyed
// by content only, so projects can share entries; cleared when it grows past any real project set.
const encoded = new Map<string, ExperienceJson>();
const MAX_ENCODED = 20_000;
let encodedDecisions = 0;

function encode(shortUid: string, variant: string | null): DecisionJson {
  const key = JSON.stringify(shortUid);
  const value = variant === null ? 'null' : JSON.stringify(variant);
  encodedDecisions += 1;
  return {
    item: Buffer.from(`,{"shortUid":${key},"activeVariantShortUid":${value}}`),
    entry: Buffer.from(`,${key}:${value}`),
  };
}

function decisionJson(decision: Decision): DecisionJson {
  if ('payload' in decision) {
    // Payloads are arbitrary JSON: encoded per request (only with ?include=payload).
    const plain = decisionJson({ shortUid: decision.shortUid, activeVariantShortUid: decision.activeVariantShortUid });
    const payload = JSON.stringify(decision.payload ?? null);
    return { item: Buffer.concat([plain.item.subarray(0, -1), Buffer.from(`,"payload":${payload}}`)]), entry: plain.entry };
  }
  let experience = encoded.get(decision.shortUid);
  if (experience === undefined) {
    if (encoded.size >= MAX_ENCODED || encodedDecisions >= 5 * MAX_ENCODED) {
      encoded.clear();
      encodedDecisions = 0;
    }
    experience = { none: encode(decision.shortUid, null), byVariant: new Map() };
    encoded.set(decision.shortUid, experience);
  }
  const variant = decision.activeVariantShortUid;
  if (variant === null) return experience.none;
  let json = experience.byVariant.get(variant);
  if (json === undefined) {
    json = encode(decision.shortUid, variant);
    experience.byVariant.set(variant, json);
  }
  return json;
}

// Reused between calls (manifestBody never yields), so no array is allocated per request; slots past the current length are stale.
const pieces: DecisionJson[] = [];

/**
 * The manifest body, `{"experiences":[…],"activeVariants":{…}}`, as UTF-8 bytes copied from
 * pre-encoded pieces. On the hottest route this costs about half of concatenating strings (which
 * Fastify and the socket then flatten and encode again), and allocates only the result.
 */
export function manifestBody(experiences: readonly Decision[]): Buffer {
  const n = experiences.length;
  let length = HEAD.length + MIDDLE.length + TAIL.length;
  for (let i = 0; i < n; i++) {
    const json = decisionJson(experiences[i] as Decision);
    pieces[i] = json;
    length += json.item.length + json.entry.length;
  }
  // The first item and entry are written without their leading comma.
  const out = Buffer.allocUnsafe(n === 0 ? length : length - 2);
  out.set(HEAD, 0);
  let at = HEAD.length;
  for (let i = 0; i < n; i++) {
    const item = (pieces[i] as DecisionJson).item;
    out.set(i === 0 ? item.subarray(1) : item, at);
    at += i === 0 ? item.length - 1 : item.length;
  }
  out.set(MIDDLE, at);
  at += MIDDLE.length;
  for (let i = 0; i < n; i++) {
    const entry = (pieces[i] as DecisionJson).entry;
    out.set(i === 0 ? entry.subarray(1) : entry, at);
    at += i === 0 ? entry.length - 1 : entry.length;
  }
  out.set(TAIL, at);
  return out;
}
