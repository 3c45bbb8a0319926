import type { ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { Reference } from '@tailor/contract';
import { ReferencesList } from './ReferencesList';

interface Props {
  projectUid: string;
  references: Reference[];
  saving: boolean;
  /**
   * Hook point for the impact preview (`POST /api/audiences/:uid/impact`, a later issue): how
   * membership and variant assignment change for recently seen visitors. Nothing is shown until
   * that endpoint exists.
   */
  impactPreview?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asked before saving an audience that ACTIVE experiences use: the change reaches visitors at once. */
export function SaveConfirmModal({ projectUid, references, saving, impactPreview, onConfirm, onCancel }: Props) {
  return (
    <Modal opened onClose={onCancel} title="Save an audience that live experiences use?" centered size="lg">
      <Stack gap="sm">
        <Text size="sm">
          These active experiences use this audience. Saving changes who they target right away, and may affect your
          segmentation, A/B tests and analytics.
        </Text>
        <ReferencesList projectUid={projectUid} references={references} />
        {impactPreview}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button color="orange" onClick={onConfirm} loading={saving}>
            Save anyway
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
