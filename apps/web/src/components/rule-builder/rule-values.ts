// Value vocabularies of the preset attributes, as the edge fills them in.
import {
  DEVICE_TYPES as DEVICE_TYPE_VALUES,
  OPERATING_SYSTEMS as OPERATING_SYSTEM_VALUES,
  type DeviceType,
  type OperatingSystem,
} from '@tailor/contract';

/** ISO 3166-1 alpha-2 codes (plus XK, which geo-IP databases use for Kosovo). */
const COUNTRY_CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(
    ' ',
  );

export interface Choice {
  value: string;
  label: string;
}

let countries: Choice[] | undefined;

/** Countries sorted by English name, labelled "United States (US)". */
export function countryChoices(): Choice[] {
  if (countries) return countries;
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  countries = COUNTRY_CODES.map((code) => ({ value: code, label: `${names?.of(code) ?? code} (${code})` })).sort((a, b) =>
    a.label.localeCompare(b.label),
  );
  return countries;
}

const DEVICE_LABELS: Record<DeviceType, string> = { MOBILE: 'Mobile', TABLET: 'Tablet', DESKTOP: 'Desktop' };
const OS_LABELS: Record<OperatingSystem, string> = {
  WINDOWS: 'Windows',
  MACOS: 'macOS',
  IOS: 'iOS',
  ANDROID: 'Android',
  LINUX: 'Linux',
  CHROMEOS: 'ChromeOS',
};

// The edge derives exactly these values from the user-agent (ADR 0042), so the editor offers them.
export const DEVICE_TYPES: Choice[] = DEVICE_TYPE_VALUES.map((value) => ({ value, label: DEVICE_LABELS[value] }));
export const OPERATING_SYSTEMS: Choice[] = OPERATING_SYSTEM_VALUES.map((value) => ({ value, label: OS_LABELS[value] }));

/** Choices for a preset that has a closed vocabulary, else undefined (free text). */
export function presetChoices(ref: string): Choice[] | undefined {
  if (ref === 'COUNTRY') return countryChoices();
  if (ref === 'DEVICE_TYPE') return DEVICE_TYPES;
  if (ref === 'OPERATING_SYSTEM') return OPERATING_SYSTEMS;
  return undefined;
}

let zones: string[] | undefined;

export function timeZones(): string[] {
  if (zones) return zones;
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  zones = ['UTC', ...(supported ? supported('timeZone').filter((z) => z !== 'UTC') : [])];
  return zones;
}
