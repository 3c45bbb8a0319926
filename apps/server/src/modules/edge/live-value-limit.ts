import { EDGE_LIMITS } from '@tailor/contract';
import { ValidationError } from '../../shared/errors.js';
import type { VisitorAttributes } from '../visitors/index.js';

/**
 * A live value of a project attribute is held to the stored values' limit (1 KB, ADR 0041), so
 * that no condition ever reads a longer value (ADR 0080): refused, naming the key, rather than
 * cut, because a cut value would silently match differently. Keys the project does not define
 * are ignored, as before, whatever their length.
 */
export function assertLiveValueSizes(live: Readonly<VisitorAttributes>, attributeKeys: { has(key: string): boolean }): void {
  let issues: Array<{ path: string; message: string }> | undefined;
  for (const key in live) {
    const value = live[key];
    // At most 3 UTF-8 bytes per UTF-16 code unit: most values need no byte count.
    if (typeof value !== 'string' || value.length * 3 <= EDGE_LIMITS.attributeValueBytes || !attributeKeys.has(key)) continue;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes <= EDGE_LIMITS.attributeValueBytes) continue;
    (issues ??= []).push({
      path: `headers.x-live-attributes.${key}`,
      message: `Expected a value of at most ${EDGE_LIMITS.attributeValueBytes} bytes (UTF-8) for attribute "${key}", received ${bytes}.`,
    });
  }
  if (issues !== undefined) throw new ValidationError(issues);
}
