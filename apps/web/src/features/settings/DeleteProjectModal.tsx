import type { FormEvent } from 'react';
import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useNavigate } from 'react-router';
import type { Project } from '../../api/types';
import { useDeleteProject } from '../../api/use-projects';
import { notifyError, notifySuccess } from '../../components/notify';

// Contentstack's wording (spec §1.2).
export const deleteProjectWarning =
  'Deleting a project will permanently remove it from Personalize, along with all associated data (experiences, audiences, and so on). This action cannot be undone.';

/** Typing the word, not clicking twice, is what stops a project from being deleted by reflex. */
export const deleteConfirmationWord = 'DELETE';

export function DeleteProjectModal({ project, opened, onClose }: { project: Project; opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const remove = useDeleteProject(project.uid);
  const [typed, setTyped] = useState('');
  const confirmed = typed === deleteConfirmationWord;

  const close = () => {
    setTyped('');
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed) return;
    remove.mutate(undefined, {
      onSuccess: () => {
        notifySuccess('Project deleted successfully');
        void navigate('/', { replace: true });
      },
      onError: (error) => notifyError(error, 'Could not delete the project'),
    });
  };

  return (
    <Modal opened={opened} onClose={close} title="Delete Project" centered>
      <form onSubmit={onSubmit}>
        <Stack gap="md">
          <Text size="sm">
            You are about to delete <b>{project.name}</b>. {deleteProjectWarning}
          </Text>
          <TextInput
            label="Type DELETE to confirm"
            autoComplete="off"
            data-autofocus
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!confirmed} loading={remove.isPending}>
              Delete
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
