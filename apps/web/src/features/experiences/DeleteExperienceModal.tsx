import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { Experience } from '@tailor/contract';
import { useDeleteExperience } from '../../api/experiences';
import { notifyError, notifySuccess } from '../../components/notify';
import { runMutation } from './run-mutation';

export function DeleteExperienceModal({ projectUid, experience, onClose, onDeleted }: { projectUid: string; experience: Experience; onClose: () => void; onDeleted?: () => void }) {
  const remove = useDeleteExperience(projectUid);
  return (
    <Modal opened onClose={onClose} title="Delete Experience" centered>
      <Stack>
        <Text size="sm">
          Delete <b>{experience.name}</b>? {experience.status === 'ACTIVE' ? 'It is active: visitors stop seeing its variants at once. ' : ''}
          Its versions and analytics are deleted with it, and it leaves the priority order. This cannot be undone.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              runMutation(remove, experience.uid, {
                onSuccess: () => {
                  notifySuccess(`Experience "${experience.name}" deleted`);
                  onClose();
                  onDeleted?.();
                },
                onError: (error) => notifyError(error, 'Could not delete the experience'),
              })
            }
          >
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
