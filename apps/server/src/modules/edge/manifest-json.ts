import { LEFT_OUT, NO_VARIANT, type DecisionSnapshot, type ExperienceOutline } from '@tailor/engine';

const HEAD = Buffer.from('{"experiences":[');
const MIDDLE = Buffer.from('],"activeVariants":{');
const TAIL = Buffer.from('}}');

/** One experience's manifest JSON with its variant (null when `variant` is undefined), as a list item and a map entry. */
function pieces(shortUid: string, variant: string | undefined): { item: string; entry: string } {
  const key = JSON.stringify(shortUid);
  const value = variant === undefined ? 'null' : JSON.stringify(variant);
  return { item: `{"shortUid":${key},"activeVariantShortUid":${value}}`, entry: `${key}:${value}` };
}

// The body is assembled here, then read out as a string. A new Buffer per response (5.5 KB, past
// the 4 KB that Node pools) counts as external memory, and 7,000 of them a second made V8 run a
// full mark-compact every 1–2 s (3–14 ms pauses) in the edge benchmark; a string dies young in a
// scavenge, and Node copies it into the socket write without allocating.
let scratch = Buffer.allocUnsafeSlow(16 * 1024);

/**
 * Writes manifest bodies, `{"experiences":[…],"activeVariants":{…}}`, straight from decideInto()'s
 * variant indexes. For one snapshot every possible list item and map entry (each experience with
 * null or with each of its variants) is encoded once, each with its leading comma, as views of one
 * contiguous arena; a request only adds lengths and copies them: no manifest objects, strings or
 * lookups per experience. (A `set()` per piece measured faster than a byte loop, and reading one
 * flat string out faster than concatenating 200 strings, which the socket then has to flatten.)
 */
export class ManifestEncoder {
  /** Per experience, its first slot: the slot of variant index v is `first[k] + v + 1` (v = -1 for null). */
  private readonly first: Int32Array;
  /** Per slot: the list item and the map entry, each starting with a comma. */
  private readonly items: Buffer[] = [];
  private readonly entries: Buffer[] = [];
  /** Per slot: the item's and the entry's byte length together (one contiguous read per experience for the total). */
  private readonly lengths: Int32Array;
  private readonly ascii: boolean;

  constructor(outline: readonly ExperienceOutline[]) {
    this.first = new Int32Array(outline.length);
    const texts: string[] = [];
    for (let k = 0; k < outline.length; k++) {
      const e = outline[k] as ExperienceOutline;
      this.first[k] = texts.length / 2;
      for (let v = -1; v < e.outcomes.length; v++) {
        const p = pieces(e.shortUid, v < 0 ? undefined : e.outcomes[v]);
        texts.push(`,${p.item}`, `,${p.entry}`);
      }
    }
    const encoded = texts.map((t) => Buffer.from(t, 'utf8'));
    const arena = Buffer.concat(encoded);
    this.ascii = arena.every((byte) => byte < 0x80);
    this.lengths = new Int32Array(encoded.length / 2);
    let offset = 0;
    for (let i = 0; i < encoded.length; i++) {
      const length = (encoded[i] as Buffer).length;
      (i % 2 === 0 ? this.items : this.entries).push(arena.subarray(offset, offset + length));
      this.lengths[i >> 1] = (this.lengths[i >> 1] as number) + length;
      offset += length;
    }
  }

  /** The body for one decideInto() result over this encoder's snapshot (`decided` may be longer than the outline). */
  encode(decided: Int32Array): string {
    const { first, items, entries, lengths } = this;
    const count = first.length;
    let length = HEAD.length + MIDDLE.length + TAIL.length;
    let included = 0;
    for (let k = 0; k < count; k++) {
      const v = decided[k] as number;
      if (v === LEFT_OUT) continue;
      length += lengths[(first[k] as number) + v + 1] as number;
      included += 1;
    }
    // The first item and entry are written without their comma.
    const total = included === 0 ? length : length - 2;
    if (scratch.length < total) scratch = Buffer.allocUnsafeSlow(2 * total);
    const out = scratch;
    out.set(HEAD, 0);
    let at = HEAD.length;
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? items : entries;
      let lead = 1;
      for (let k = 0; k < count; k++) {
        const v = decided[k] as number;
        if (v === LEFT_OUT) continue;
        const piece = list[(first[k] as number) + v + 1] as Buffer;
        if (lead === 1) {
          // Rare (once per list): a view without the comma.
          out.set(piece.subarray(1), at);
          at += piece.length - 1;
          lead = 0;
        } else {
          out.set(piece, at);
          at += piece.length;
        }
      }
      if (pass === 0) {
        out.set(MIDDLE, at);
        at += MIDDLE.length;
      }
    }
    out.set(TAIL, at);
    // Every shortUid Tailor assigns is ASCII, for which latin1 reads the UTF-8 bytes unchanged and fastest.
    return out.toString(this.ascii ? 'latin1' : 'utf8', 0, total);
  }
}

// One encoder per engine snapshot, built on the first manifest after a rebuild; collected with the snapshot.
const encoders = new WeakMap<DecisionSnapshot, ManifestEncoder>();

export function manifestEncoder(snapshot: DecisionSnapshot): ManifestEncoder {
  let encoder = encoders.get(snapshot);
  if (encoder === undefined) {
    encoder = new ManifestEncoder(snapshot.outline);
    encoders.set(snapshot, encoder);
  }
  return encoder;
}

/**
 * The body with each decided variant's payload (`?include=payload`, docs/api-conventions.md, "Extensions"): arbitrary
 * JSON, so written by JSON.stringify per request. Keys keep the manifest's order.
 */
export function manifestWithPayloads(
  snapshot: DecisionSnapshot,
  decided: Int32Array,
  payloadOf: (experienceShortUid: string, variantShortUid: string) => unknown,
): string {
  const outline = snapshot.outline;
  let items = '';
  let entries = '';
  for (let k = 0; k < outline.length; k++) {
    const v = decided[k] as number;
    if (v === LEFT_OUT) continue;
    const e = outline[k] as ExperienceOutline;
    const variant = v === NO_VARIANT ? undefined : e.outcomes[v];
    const p = pieces(e.shortUid, variant);
    const payload = variant === undefined ? null : (payloadOf(e.shortUid, variant) ?? null);
    if (items !== '') {
      items += ',';
      entries += ',';
    }
    items += `${p.item.slice(0, -1)},"payload":${JSON.stringify(payload)}}`;
    entries += p.entry;
  }
  return `{"experiences":[${items}],"activeVariants":{${entries}}}`;
}
