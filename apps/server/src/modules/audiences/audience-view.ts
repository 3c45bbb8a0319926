import type { Audience, AudienceRevision } from './audience.js';

/** The API shape (spec §1.4): routes send it; conflict bodies carry it as `current`. */
export function audienceView(a: Audience) {
  return {
    uid: a.uid,
    _id: a.uid,
    name: a.name,
    description: a.description,
    definition: a.definition,
    project: a.projectUid,
    version: a.version,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    createdBy: a.createdBy,
    updatedBy: a.updatedBy,
    createdByUserName: a.createdByUserName,
    updatedByUserName: a.updatedByUserName,
  };
}

export function revisionView(r: AudienceRevision) {
  return {
    audienceUid: r.audienceUid,
    number: r.number,
    action: r.action,
    restoredFrom: r.restoredFrom,
    name: r.name,
    description: r.description,
    definition: r.definition,
    summary: r.summary,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    createdByUserName: r.createdByUserName,
  };
}

export type AudienceView = ReturnType<typeof audienceView>;
export type RevisionView = ReturnType<typeof revisionView>;
