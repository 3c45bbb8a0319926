import type { ResourceMeta } from '../resources/index.js';

/** A conversion event definition (spec §1.5): edge clients send its key; A/B metrics reference its uid. */
export interface EventDefinition extends ResourceMeta {
  uid: string;
  projectUid: string;
  key: string;
  description: string;
}

/** The API shape; conflict bodies carry it as `current`. */
export function eventView(e: EventDefinition) {
  return {
    uid: e.uid,
    _id: e.uid,
    key: e.key,
    description: e.description,
    project: e.projectUid,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    createdBy: e.createdBy,
    updatedBy: e.updatedBy,
    createdByUserName: e.createdByUserName,
    updatedByUserName: e.updatedByUserName,
  };
}

export type EventView = ReturnType<typeof eventView>;
