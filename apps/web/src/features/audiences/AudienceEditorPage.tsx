import { useParams } from 'react-router';
import { Skeleton, Stack } from '@mantine/core';
import { useAttributes } from '../../api/attributes';
import { useAudience } from '../../api/audiences';
import { QueryError } from '../../components/QueryError';
import { useCurrentProject } from '../projects/project-context';
import { useProjectPermissions } from '../projects/use-project-permissions';
import { AudienceEditor } from './AudienceEditor';

/** `/projects/:projectUid/audiences/new` and `/projects/:projectUid/audiences/:audienceUid`. */
export function AudienceEditorPage() {
  const project = useCurrentProject();
  const { audienceUid } = useParams();
  const isNew = audienceUid === undefined || audienceUid === 'new';
  const audience = useAudience(project.uid, isNew ? undefined : audienceUid);
  const attributes = useAttributes(project.uid);
  const { canEdit } = useProjectPermissions();
  // The server sends the project's effective limits; the console's Project type predates them.
  const maxRules = (project as { limits?: { rulesPerAudience?: number } }).limits?.rulesPerAudience;

  if (audience.isError) return <QueryError error={audience.error} onRetry={() => void audience.refetch()} />;
  if (attributes.isError) return <QueryError error={attributes.error} onRetry={() => void attributes.refetch()} />;
  if ((!isNew && audience.data === undefined) || attributes.data === undefined) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading audience">
        <Skeleton height={36} width={320} />
        <Skeleton height={60} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  return (
    <AudienceEditor
      key={isNew ? 'new' : audienceUid}
      projectUid={project.uid}
      audience={isNew ? undefined : audience.data}
      attributes={attributes.data}
      canEdit={canEdit}
      maxRules={maxRules}
    />
  );
}
