import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ProjectStatsSource } from '../projects/index.js';
import { countActiveExperiences } from './decision-read-model.js';

/** The project cards' `activeExperienceCount`. */
export function experienceStatsSource(db: Kysely<Database>): ProjectStatsSource {
  return {
    async countsFor(projectUids) {
      const counts = await countActiveExperiences(db, [...projectUids]);
      return new Map([...counts].map(([uid, n]) => [uid, { activeExperienceCount: n }]));
    },
  };
}
