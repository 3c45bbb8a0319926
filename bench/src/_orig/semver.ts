/** A parsed semver.org version; build metadata is dropped because it has no precedence. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers; numeric ones as numbers. Empty for a release. */
  pre: ReadonlyArray<string | number>;
}

const NUM = '0|[1-9]\\d*';
const IDENT = '[0-9A-Za-z-]+';
// Anchored and free of nested quantifiers, so the native engine runs it in linear time.
const SEMVER_RE = new RegExp(
  `^[vV]?(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`,
);
const NUMERIC_IDENT = /^\d+$/;

/** Parses "1.2.3", "v1.2.3-rc.1+build.5"; returns null for anything else. */
export function parseSemver(input: string): SemVer | null {
  if (input.length > 256) return null;
  const m = SEMVER_RE.exec(input.trim());
  if (m === null) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || !Number.isSafeInteger(patch)) return null;
  const pre: Array<string | number> = [];
  if (m[4] !== undefined) {
    for (const id of m[4].split('.')) {
      if (NUMERIC_IDENT.test(id)) {
        // semver.org forbids leading zeros in numeric pre-release identifiers.
        if (id.length > 1 && id.startsWith('0')) return null;
        pre.push(Number(id));
      } else {
        pre.push(id);
      }
    }
  }
  return { major, minor, patch, pre };
}

/** Precedence per semver.org §11: negative when a < b, 0 when equal, positive when a > b. */
export function compareSemver(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const x = a.pre[i] as string | number;
    const y = b.pre[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length - b.pre.length;
}
