// Date handling without the Date global (the engine's lint forbids it so that the clock can only
// come from the caller). Intl.DateTimeFormat exists in Node, browsers and edge workers and gives
// IANA zone offsets.
import { decisionWork, memoPer, TIME_ZONE_WORK, type DecisionMemo } from './decision-work.js';

/** A parsed ISO-8601 date / date-time, or a time of day. */
export type DateTimeSpec =
  | {
      kind: 'instant';
      /** Milliseconds of the wall-clock fields read as if they were UTC. */
      wallMs: number;
      /** Explicit offset in minutes, or null when the text carries none. */
      offsetMinutes: number | null;
    }
  | { kind: 'timeOfDay'; /** Milliseconds since midnight. */ ms: number };

const DAY_MS = 86_400_000;
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Parses "2025-11-28", "2025-11-28T09:30", "…:00.123Z", "…+05:30", "… 09:30:00" and "HH:MM[:SS]". */
export function parseDateTime(text: string): DateTimeSpec | null {
  const s = text.trim();
  if (s.length > 64) return null;
  const t = TIME_RE.exec(s);
  if (t !== null) {
    const h = Number(t[1]);
    const mi = Number(t[2]);
    const sec = t[3] === undefined ? 0 : Number(t[3]);
    if (h > 23 || mi > 59 || sec > 59) return null;
    return { kind: 'timeOfDay', ms: ((h * 60 + mi) * 60 + sec) * 1000 };
  }
  const m = INSTANT_RE.exec(s);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  let offsetMinutes: number | null = null;
  const off = m[8];
  if (off !== undefined) {
    if (off === 'Z' || off === 'z') offsetMinutes = 0;
    else {
      const digits = off.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
      if (oh > 23 || om > 59) return null;
      offsetMinutes = (off.startsWith('-') ? -1 : 1) * (oh * 60 + om);
    }
  }
  const wallMs = daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
  return { kind: 'instant', wallMs, offsetMinutes };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidTimezone(timezone: string): boolean {
  if (timezone === 'UTC') return true;
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

// A decision's conversions by zone: every DATE_AND_TIME rule of a decision converts the same `now`.
const conversions = new Map<string, DecisionMemo<number, number>>();

/** Wall-clock of `epochMs` in `timezone`, as milliseconds read as if UTC. */
export function wallClockMs(epochMs: number, timezone: string): number {
  if (timezone === 'UTC') return epochMs;
  const memo = memoPer<number, number>(conversions, timezone, 64);
  const known = memo.get(epochMs);
  if (known !== undefined) return known;
  decisionWork.spend(TIME_ZONE_WORK);
  const wall = convert(epochMs, timezone);
  memo.set(epochMs, wall);
  return wall;
}

function convert(epochMs: number, timezone: string): number {
  let y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;
  for (const p of formatterFor(timezone).formatToParts(epochMs)) {
    const v = Number(p.value);
    if (p.type === 'year') y = v;
    else if (p.type === 'month') mo = v;
    else if (p.type === 'day') d = v;
    else if (p.type === 'hour') h = v;
    else if (p.type === 'minute') mi = v;
    else if (p.type === 'second') s = v;
  }
  const subSecond = ((epochMs % 1000) + 1000) % 1000;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + subSecond;
}

/**
 * The epoch instant of a parsed instant. Without an explicit offset the wall-clock time is read
 * in `timezone`; in a DST gap or overlap the earlier offset wins.
 */
export function resolveInstant(spec: { wallMs: number; offsetMinutes: number | null }, timezone: string): number {
  if (spec.offsetMinutes !== null) return spec.wallMs - spec.offsetMinutes * 60_000;
  if (timezone === 'UTC') return spec.wallMs;
  const firstGuess = spec.wallMs - (wallClockMs(spec.wallMs, timezone) - spec.wallMs);
  const offset = wallClockMs(firstGuess, timezone) - firstGuess;
  return spec.wallMs - offset;
}

/** Milliseconds since local midnight of `epochMs` in `timezone`. */
export function timeOfDayMs(epochMs: number, timezone: string): number {
  const wall = wallClockMs(epochMs, timezone);
  return ((wall % DAY_MS) + DAY_MS) % DAY_MS;
}
