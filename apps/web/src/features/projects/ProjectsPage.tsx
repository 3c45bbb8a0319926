import { useState } from 'react';
import { Button, Card, Container, Group, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFolderPlus, IconPlus, IconSearch } from '@tabler/icons-react';
import { useProjects } from '../../api/use-projects';
import { useAuthenticatedUser } from '../../app/auth-context';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { filterProjects } from './filter-projects';
import { NewProjectModal } from './NewProjectModal';
import { ProjectCard } from './ProjectCard';

function ProjectCardSkeleton() {
  return (
    <Card aria-hidden>
      <Skeleton height={20} width="60%" mb="md" />
      <Skeleton height={12} mb={8} />
      <Skeleton height={12} width="80%" mb="lg" />
      <Skeleton height={12} width="40%" />
    </Card>
  );
}

export function ProjectsPage() {
  const user = useAuthenticatedUser();
  const projects = useProjects();
  const [query, setQuery] = useState('');
  const [modalOpened, modal] = useDisclosure(false);
  // Org Members cannot create projects (the server answers 403); don't offer what will fail.
  const canCreate = user.orgRole !== 'MEMBER';
  // The empty state carries its own button. The header one waits for the list so the button
  // never jumps from header to empty state under a user's (or a test's) pointer.
  const showHeaderButton = projects.isSuccess && projects.data.length > 0;

  const newButton = canCreate && (
    <Button leftSection={<IconPlus size={16} />} onClick={modal.open}>
      New Personalize Project
    </Button>
  );

  let body;
  if (projects.isPending) {
    body = (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-busy="true" aria-label="Loading projects">
        {[0, 1, 2].map((i) => (
          <ProjectCardSkeleton key={i} />
        ))}
      </SimpleGrid>
    );
  } else if (projects.isError) {
    body = <QueryError error={projects.error} onRetry={() => void projects.refetch()} />;
  } else if (projects.data.length === 0) {
    body = (
      <EmptyState icon={<IconFolderPlus size={28} />} title="No projects yet" action={newButton}>
        {canCreate
          ? 'A project holds the experiences, audiences, attributes and events of one website or app.'
          : 'You are not part of any project yet. Ask a project Owner or an organization Admin to invite you.'}
      </EmptyState>
    );
  } else {
    const visible = filterProjects(projects.data, query);
    body =
      visible.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">
          No projects match “{query}”.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {visible.map((project) => (
            <ProjectCard key={project.uid} project={project} />
          ))}
        </SimpleGrid>
      );
  }

  return (
    <Container size="xl" py="md">
      <Stack gap="lg">
        <Group justify="space-between" align="center">
          <Title order={1} size="h2">
            Personalize Projects
          </Title>
          <Group gap="sm">
            <TextInput
              aria-label="Search projects"
              placeholder="Search projects"
              leftSection={<IconSearch size={16} />}
              value={query}
              onChange={(e) => setQuery(e.currentTarget.value)}
              w={260}
              type="search"
            />
            {showHeaderButton && newButton}
          </Group>
        </Group>
        {body}
      </Stack>
      <NewProjectModal opened={modalOpened} onClose={modal.close} />
    </Container>
  );
}
