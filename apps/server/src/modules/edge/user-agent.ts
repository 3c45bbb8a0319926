import type { DeviceType, OperatingSystem } from '@tailor/contract';
import { UAParser } from 'ua-parser-js';

export interface DeviceInfo {
  DEVICE_TYPE?: DeviceType;
  OPERATING_SYSTEM?: OperatingSystem;
}

// Longer user-agents are cut before parsing: the parser's regexes must never see 20 KB.
const MAX_UA_LENGTH = 512;
const CACHE_SIZE = 2000;

/** ua-parser-js 1.x OS names → the OPERATING_SYSTEM vocabulary of ADR 0042. */
const OS_BY_NAME: Readonly<Record<string, OperatingSystem>> = {
  Windows: 'WINDOWS',
  'Windows Phone': 'WINDOWS',
  'Windows Mobile': 'WINDOWS',
  'Mac OS': 'MACOS',
  macOS: 'MACOS',
  iOS: 'IOS',
  Android: 'ANDROID',
  HarmonyOS: 'ANDROID',
  Linux: 'LINUX',
  Ubuntu: 'LINUX',
  Debian: 'LINUX',
  Fedora: 'LINUX',
  'Linux Mint': 'LINUX',
  'Red Hat': 'LINUX',
  SUSE: 'LINUX',
  'Arch Linux': 'LINUX',
  CentOS: 'LINUX',
  Gentoo: 'LINUX',
  'Chromium OS': 'CHROMEOS',
  'Chrome OS': 'CHROMEOS',
};

function parse(ua: string): DeviceInfo {
  const result = new UAParser(ua).getResult();
  const type = result.device.type;
  const info: DeviceInfo = {
    // ua-parser reports no type for desktops; consoles and TVs are not handhelds either.
    DEVICE_TYPE: type === 'mobile' || type === 'wearable' ? 'MOBILE' : type === 'tablet' ? 'TABLET' : 'DESKTOP',
  };
  const os = result.os.name === undefined ? undefined : OS_BY_NAME[result.os.name];
  if (os !== undefined) info.OPERATING_SYSTEM = os;
  return Object.freeze(info);
}

const cache = new Map<string, DeviceInfo>();
const NONE: DeviceInfo = Object.freeze({});

/**
 * DEVICE_TYPE and OPERATING_SYSTEM of a user-agent; nothing when there is none. Real traffic
 * repeats a few thousand user-agents, so results are memoized (bounded; cleared when full).
 */
export function deviceInfo(userAgent: string | undefined): DeviceInfo {
  if (userAgent === undefined || userAgent.trim() === '') return NONE;
  const ua = userAgent.length > MAX_UA_LENGTH ? userAgent.slice(0, MAX_UA_LENGTH) : userAgent;
  const hit = cache.get(ua);
  if (hit) return hit;
  const info = parse(ua);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(ua, info);
  return info;
}
