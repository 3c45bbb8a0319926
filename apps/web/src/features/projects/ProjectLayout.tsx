import { Anchor, Container, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, Outlet, useParams } from 'react-router';
import { useProject } from '../../api/use-projects';
import { QueryError } from '../../components/QueryError';
import { TabNav } from '../../components/TabNav';
import { ProjectContext } from './project-context';

const tabs = [
  { label: 'Experiences', to: 'experiences', testId: 'personalize-nav-experiences' },
  { label: 'Audiences', to: 'audiences', testId: 'personalize-nav-audiences' },
  { label: 'Attributes', to: 'attributes', testId: 'personalize-nav-attributes' },
  { label: 'Events', to: 'events', testId: 'personalize-nav-events' },
  { label: 'Settings', to: 'settings', testId: 'personalize-nav-settings' },
];

export function ProjectLayout() {
  const { projectUid = '' } = useParams();
  const project = useProject(projectUid);

  return (
    <Container size="xl" py="md">
      <Stack gap="md">
        <Anchor component={Link} to="/" size="sm" c="dimmed" w="fit-content">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            Personalize Projects
          </Group>
        </Anchor>
        {project.isError ? (
          <QueryError error={project.error} onRetry={() => void project.refetch()} />
        ) : project.data === undefined ? (
          <Stack gap="xs" aria-busy="true" aria-label="Loading project">
            <Skeleton height={28} width={280} />
            <Skeleton height={14} width={420} />
          </Stack>
        ) : (
          <ProjectContext.Provider value={project.data}>
            <div>
              <Title order={1} size="h2">
                {project.data.name}
              </Title>
              {project.data.description && (
                <Text c="dimmed" size="sm" mt={4} lineClamp={2}>
                  {project.data.description}
                </Text>
              )}
            </div>
            <TabNav label="Project" items={tabs.map((t) => ({ ...t, to: `/projects/${projectUid}/${t.to}` }))} />
            <Outlet />
          </ProjectContext.Provider>
        )}
      </Stack>
    </Container>
  );
}
