import type { CustomAttribute, PresetAttribute } from './attributes.js';

/** The API shape (spec §1.3): routes send it as is; conflict bodies carry it as `current`. */
export function customAttributeView(a: CustomAttribute) {
  return {
    uid: a.uid,
    _id: a.uid,
    name: a.name,
    key: a.key,
    description: a.description,
    project: a.projectUid,
    __type: 'CUSTOM' as const,
    version: a.version,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    createdBy: a.createdBy,
    updatedBy: a.updatedBy,
    createdByUserName: a.createdByUserName,
    updatedByUserName: a.updatedByUserName,
  };
}

export function presetAttributeView(p: PresetAttribute) {
  return { uid: p.uid, name: p.name, description: p.description, __type: 'PRESET' as const };
}

export type CustomAttributeView = ReturnType<typeof customAttributeView>;
export type PresetAttributeView = ReturnType<typeof presetAttributeView>;
