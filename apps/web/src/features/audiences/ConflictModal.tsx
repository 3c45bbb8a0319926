import { useState } from 'react';
import { Alert, Button, Collapse, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { Audience } from '@tailor/contract';
import type { AttributeCatalog, RuleCombination } from '@tailor/engine';
import { notifyError, notifySuccess } from '../../components/notify';
import { formatTimestamp } from '../../components/time';
import { DefinitionDiff } from './DefinitionDiff';

interface Props {
  theirs: Audience;
  draft: { name: string; description: string; definition: unknown };
  catalog: AttributeCatalog;
  saving: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onClose: () => void;
}

/**
 * A save refused because someone else saved first. Nothing typed is lost: closing keeps the
 * draft, "Keep mine" re-saves it on top of their version, and the draft JSON can be copied aside.
 */
export function ConflictModal({ theirs, draft, catalog, saving, onKeepMine, onTakeTheirs, onClose }: Props) {
  const [showJson, setShowJson] = useState(false);
  const json = JSON.stringify(draft, null, 2);
  const copy = () =>
    navigator.clipboard.writeText(json).then(
      () => notifySuccess('Your draft was copied to the clipboard'),
      (error: unknown) => {
        setShowJson(true);
        notifyError(error, 'Could not copy; select the text below instead');
      },
    );
  return (
    <Modal opened onClose={onClose} title="Someone else changed this audience" size="min(1100px, 95vw)" centered>
      <Stack gap="sm">
        <Alert color="orange" p="sm">
          <Text size="sm">
            {theirs.updatedByUserName} saved version {theirs.version} on {formatTimestamp(theirs.updatedAt)}, after you opened it. Compare their version with
            your draft, then choose which to keep.
          </Text>
        </Alert>
        <DefinitionDiff
          catalog={catalog}
          left={{ title: `Their version (v${String(theirs.version)})`, name: theirs.name, description: theirs.description, definition: theirs.definition as RuleCombination }}
          right={{ title: 'Your draft', name: draft.name, description: draft.description, definition: draft.definition as RuleCombination }}
        />
        <Collapse in={showJson}>
          <Textarea label="Your draft (JSON)" value={json} readOnly autosize maxRows={12} ff="monospace" />
        </Collapse>
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="subtle" onClick={() => void copy()}>
              Copy my draft
            </Button>
            <Button variant="subtle" color="gray" onClick={() => setShowJson((s) => !s)}>
              {showJson ? 'Hide JSON' : 'Show JSON'}
            </Button>
          </Group>
          <Group gap="xs">
            <Button variant="default" onClick={onTakeTheirs} disabled={saving}>
              Take theirs
            </Button>
            <Button onClick={onKeepMine} loading={saving}>
              Keep mine
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
