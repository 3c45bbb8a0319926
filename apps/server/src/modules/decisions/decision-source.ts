import type { Db } from '../../db/create-db.js';
import { listCustomAttributes } from '../attributes/index.js';
import { listAudienceDefinitions } from '../audiences/index.js';
import type { DecisionExperienceInput, DecisionSource } from './decision-inputs.js';

/** The experiences module's decision read model, injected so this module does not depend on its internals. */
export type ExperienceDecisionReader = (db: Db['kysely'], projectUid: string) => Promise<readonly DecisionExperienceInput[]>;

/** Reads a project's decision inputs through the attributes, audiences and experiences modules. */
export function createDecisionSource(db: Db, listExperiences: ExperienceDecisionReader): DecisionSource {
  return {
    async load(projectUid) {
      const [customAttributes, audiences, experiences] = await Promise.all([
        listCustomAttributes(db.kysely, projectUid),
        listAudienceDefinitions(db.kysely, projectUid),
        listExperiences(db.kysely, projectUid),
      ]);
      return { customAttributes, audiences, experiences };
    },
  };
}
