import { useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import type { Reference } from '@tailor/contract';
import { blockingReferences } from '../../api/project-api';
import { notifyError, notifySuccess } from '../../components/notify';
import { ReferencesList } from './ReferencesList';

interface Props {
  projectUid: string;
  /** "Audience", "Attribute", "Event". */
  noun: string;
  name: string;
  references: { data: Reference[] | undefined; isPending: boolean; isError: boolean };
  /** What to change before the resource can go, e.g. "Remove it from these experiences' drafts first." */
  howToUnblock: string;
  deleting: boolean;
  onDelete: (callbacks: { onSuccess: () => void; onError: (error: unknown) => void }) => void;
  onClose: () => void;
}

/**
 * "Delete <Noun>": looks up what uses the resource first. A used resource is explained, not
 * offered for deletion; if the server still refuses (a reference appeared meanwhile), its list wins.
 */
export function DeleteResourceModal({ projectUid, noun, name, references, howToUnblock, deleting, onDelete, onClose }: Props) {
  const [refused, setRefused] = useState<Reference[] | null>(null);
  const blocking = refused ?? (references.data ?? []).filter((r) => r.blocking);
  const blocked = blocking.length > 0;
  const lower = noun.toLowerCase();

  const confirm = () =>
    onDelete({
      onSuccess: () => {
        notifySuccess(`${noun} deleted successfully`);
        onClose();
      },
      onError: (error) => {
        const refs = blockingReferences(error);
        if (refs) setRefused(refs);
        else notifyError(error, `Could not delete the ${lower}`);
      },
    });

  return (
    <Modal opened onClose={onClose} title={blocked ? `This ${lower} can't be deleted` : `Delete ${noun}`} centered size="lg">
      {references.isPending && refused === null ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Checking where it is used…</Text>
        </Group>
      ) : blocked ? (
        <Stack gap="sm">
          <Alert color="orange" p="sm">
            <Text size="sm">
              <b>{name}</b> is still used by:
            </Text>
          </Alert>
          <ReferencesList projectUid={projectUid} references={blocking} />
          <Text size="sm">{howToUnblock}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          {references.isError && (
            <Text size="sm" c="dimmed">
              Could not check where it is used; the server refuses the deletion if something still uses it.
            </Text>
          )}
          <Text size="sm">
            Delete the {lower} <b>{name}</b>? This cannot be undone.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" onClick={confirm} loading={deleting}>
              Delete
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
