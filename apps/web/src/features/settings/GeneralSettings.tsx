import { Stack } from '@mantine/core';
import { useCurrentProject } from '../projects/project-context';
import { DeleteProjectSection } from './DeleteProjectSection';
import { ProjectDetailsForm } from './ProjectDetailsForm';

export function GeneralSettings() {
  const project = useCurrentProject();
  return (
    <Stack gap="lg">
      {/* Keyed by uid: moving to another project must not carry over unsaved edits. */}
      <ProjectDetailsForm key={project.uid} project={project} />
      {project.canManage && <DeleteProjectSection project={project} />}
    </Stack>
  );
}
