import type { Kysely } from 'kysely';
import type { PresetKey } from '@tailor/engine';
import type { Database } from '../../db/schema.js';
import type { Reference } from '../references/index.js';
import type { ResourceMeta } from '../resources/index.js';

/** A preset: derived from the request at the edge; read-only, no key, no audit fields (spec §1.3). */
export interface PresetAttribute {
  uid: PresetKey;
  name: string;
  description: string;
}

/** The eight presets, in the order the Attributes table lists them. */
export const PRESET_ATTRIBUTES: readonly PresetAttribute[] = Object.freeze([
  { uid: 'DEVICE_TYPE', name: 'Device Type', description: 'Categorizes devices as Mobile, Tablet, or Desktop.' },
  { uid: 'OPERATING_SYSTEM', name: 'Operating System', description: 'Categorizes platform as MacOS, Android, Windows, or iOS.' },
  { uid: 'QUERY_PARAMETERS', name: 'Query Parameters', description: "Checks for a query parameter in a web page's URL." },
  { uid: 'REFERRER', name: 'Referrer', description: 'Checks the URI of the web page that linked to the current page.' },
  { uid: 'COUNTRY', name: 'Country', description: 'Allows targeting users based on the country they are visiting from.' },
  { uid: 'REGION', name: 'Region', description: 'Allows targeting users based on the region or state they are visiting from.' },
  { uid: 'CITY', name: 'City', description: 'Allows targeting users based on the city they are visiting from.' },
  { uid: 'DATE_AND_TIME', name: 'Date And Time', description: 'Helps defining audiences for a specific time range.' },
] satisfies PresetAttribute[]);

export function findPreset(uid: string): PresetAttribute | undefined {
  return PRESET_ATTRIBUTES.find((p) => p.uid === uid);
}

export interface CustomAttribute extends ResourceMeta {
  uid: string;
  projectUid: string;
  name: string;
  key: string;
  description: string;
}

/**
 * Where attributes are used. The audiences module implements it and the composition root injects
 * it, so attributes never import audiences (which import attributes for their catalog).
 */
export interface AttributeUsage {
  /** References by attribute uid (custom uid or preset name); all attributes when `attributeUids` is omitted. */
  attributeReferences(db: Kysely<Database>, projectUid: string, attributeUids?: readonly string[]): Promise<Map<string, Reference[]>>;
}

export const ATTRIBUTE_KEY_CHANGED = 'personalize.ATTRIBUTES.KEY_CHANGED';
