import type { ProjectLimits } from './project-limits.js';

/** A project as stored. `limitOverrides` holds only what an org Owner changed. */
export interface Project {
  uid: string;
  orgUid: string;
  name: string;
  description: string;
  connectedStackApiKey: string | null;
  limitOverrides: Partial<ProjectLimits>;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  createdByUserName: string;
  updatedByUserName: string;
}

export type ProjectRole = 'OWNER' | 'MEMBER';

/** A project as one caller sees it: counts, their own role, and what they may do. */
export interface ProjectView extends Project {
  audienceCount: number;
  activeExperienceCount: number;
  userCount: number;
  currentUserRole: ProjectRole | null;
  canManage: boolean;
  limits: ProjectLimits;
}

export const DUPLICATE_NAME = 'personalize.PROJECTS.DUPLICATE_NAME';
