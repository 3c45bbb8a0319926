/** What other modules may use of attributes: the presets, the project's catalog, the usage port, the service. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { listAttributeRows } from './attribute-repository.js';

export { PRESET_ATTRIBUTES, findPreset, type AttributeUsage, type CustomAttribute, type PresetAttribute } from './attributes.js';
export { createAttributeService, type AttributeService } from './attribute-service.js';

/** The project's custom attributes (for rule validation and the edge snapshot), oldest first. */
export async function listCustomAttributes(db: Kysely<Database>, projectUid: string): Promise<Array<{ uid: string; key: string; name: string }>> {
  const rows = await listAttributeRows(db, projectUid);
  return rows.map((r) => ({ uid: r.uid, key: r.key, name: r.name }));
}
