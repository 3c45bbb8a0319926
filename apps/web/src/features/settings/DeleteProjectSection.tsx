import { Button, Group, Paper, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import type { Project } from '../../api/types';
import { DeleteProjectModal, deleteProjectWarning } from './DeleteProjectModal';

export function DeleteProjectSection({ project }: { project: Project }) {
  const [opened, modal] = useDisclosure(false);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="delete-project-title" style={{ borderColor: 'var(--mantine-color-red-3)' }}>
      <Title order={2} size="h4" mb="xs" id="delete-project-title">
        Delete Project
      </Title>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <Text size="sm" c="dimmed" maw={620}>
          {deleteProjectWarning}
        </Text>
        <Button color="red" variant="outline" leftSection={<IconTrash size={16} />} onClick={modal.open}>
          Delete Project
        </Button>
      </Group>
      <DeleteProjectModal project={project} opened={opened} onClose={modal.close} />
    </Paper>
  );
}
