import type { Db } from '../../db/create-db.js';
import { listCustomAttributes } from '../attributes/index.js';
import { findAudiencesByUids, listAudienceDefinitions } from '../audiences/index.js';
import type { DecisionExperienceInput, DecisionSource } from './decision-inputs.js';

/** The experiences module's decision read model, injected so this module does not depend on its internals. */
export type ExperienceDecisionReader = (db: Db['kysely'], projectUid: string) => Promise<readonly DecisionExperienceInput[]>;

/** Reads a project's decision inputs through the attributes, audiences and experiences modules. */
export function createDecisionSource(db: Db, listExperiences: ExperienceDecisionReader): DecisionSource {
  return {
    customAttributes: (projectUid) => listCustomAttributes(db.kysely, projectUid),
    audiences: (projectUid, uids) => (uids === undefined ? listAudienceDefinitions(db.kysely, projectUid) : findAudiencesByUids(db.kysely, projectUid, uids)),
    experiences: (projectUid) => listExperiences(db.kysely, projectUid),
  };
}
