import type { Attribute } from '@tailor/contract';
import { PRESET_KEYS, type AttributeCatalog, type PresetKey } from '@tailor/engine';
import type { AttributeOption } from '../../components/rule-builder/RuleBuilder';
import { PRESET_LABELS } from '../../components/rule-builder/rule-summary';

/** What the engine needs to know about the project's attributes (uid → key and name). */
export function catalogOf(attributes: readonly Attribute[] | undefined): AttributeCatalog {
  const customAttributes = new Map<string, { key: string; name: string }>();
  for (const a of attributes ?? []) if (a.__type === 'CUSTOM') customAttributes.set(a.uid, { key: a.key, name: a.name });
  return { customAttributes };
}

/** The Select Attribute choices: presets in the console's order, then custom attributes by name. */
export function attributeOptionsOf(attributes: readonly Attribute[] | undefined): AttributeOption[] {
  const presetNames = new Map<string, string>();
  const custom: AttributeOption[] = [];
  for (const a of attributes ?? []) {
    if (a.__type === 'PRESET') presetNames.set(a.uid, a.name);
    else custom.push({ ref: { __type: 'CustomAttributeReference', ref: a.uid }, label: `${a.name} (${a.key})`, kind: 'Custom' });
  }
  const presets: AttributeOption[] = PRESET_KEYS.map((key: PresetKey) => ({
    ref: { __type: 'PresetAttributeReference', ref: key },
    label: presetNames.get(key) ?? PRESET_LABELS[key] ?? key,
    kind: 'Preset',
  }));
  custom.sort((a, b) => a.label.localeCompare(b.label));
  return [...presets, ...custom];
}
