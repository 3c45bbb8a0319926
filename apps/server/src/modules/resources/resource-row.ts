import { toIso } from '../../db/mappers.js';

/** Server-owned fields of every versioned project resource (docs/api-conventions.md, "Identifiers and shapes" and "Extensions"). */
export interface ResourceMeta {
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  createdByUserName: string;
  updatedByUserName: string;
}

export function metaFromRow(row: {
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
  created_by: string;
  updated_by: string;
  created_by_user_name: string;
  updated_by_user_name: string;
}): ResourceMeta {
  return {
    version: Number(row.version),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdByUserName: row.created_by_user_name,
    updatedByUserName: row.updated_by_user_name,
  };
}

/** Columns of a new resource row, version 1. */
export function newMetaColumns(actor: { userUid: string; name: string }, at: string) {
  return {
    version: 1,
    created_at: at,
    updated_at: at,
    created_by: actor.userUid,
    updated_by: actor.userUid,
    created_by_user_name: actor.name,
    updated_by_user_name: actor.name,
  };
}

/** Columns an update sets besides its own (the version is bumped in SQL). */
export function touchedMetaColumns(actor: { userUid: string; name: string }, at: string) {
  return { updated_at: at, updated_by: actor.userUid, updated_by_user_name: actor.name };
}
