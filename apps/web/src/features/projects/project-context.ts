import { createContext, useContext } from 'react';
import type { Project } from '../../api/types';

export const ProjectContext = createContext<Project | null>(null);

/** The project whose page is open; valid below `ProjectLayout`, which loads it first. */
export function useCurrentProject(): Project {
  const project = useContext(ProjectContext);
  if (project === null) throw new Error('useCurrentProject must be used below <ProjectLayout>');
  return project;
}
