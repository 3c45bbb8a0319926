import { useCurrentProject } from './project-context';

export interface ProjectPermissions {
  /** Experiences, versions, priority, audiences, attributes and events: Owners and Members alike (spec §5). */
  canEdit: boolean;
  /** Settings and users: project Owners and org Owners/Admins. */
  canManage: boolean;
}

/**
 * What the signed-in user may change in the open project, from the roles the server reports.
 * The server enforces the same matrix; the console only hides what would be refused.
 */
export function useProjectPermissions(): ProjectPermissions {
  const project = useCurrentProject();
  return { canEdit: project.currentUserRole !== null || project.canManage, canManage: project.canManage };
}
