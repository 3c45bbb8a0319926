import { useState } from 'react';
import { Alert, Badge, Button, Drawer, Grid, Group, Loader, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconRestore } from '@tabler/icons-react';
import { describeImpactFigures, type Audience, type AudienceRevision, type ChangeSummary } from '@tailor/contract';
import type { AttributeCatalog, RuleCombination } from '@tailor/engine';
import { useAudienceRevision, useAudienceRevisions, useRestoreRevision } from '../../api/audiences';
import { conflictCurrent } from '../../api/project-api';
import { notifyError, notifySuccess } from '../../components/notify';
import { QueryError } from '../../components/QueryError';
import { formatTimestamp } from '../../components/time';
import { DefinitionDiff } from './DefinitionDiff';

/** One line per revision: "Name changed · 2 rules added · 1 changed". */
export function summaryText(summary: ChangeSummary | undefined, action: AudienceRevision['action'], restoredFrom: number | null): string {
  if (action === 'created') return 'Created';
  const parts: string[] = [];
  if (action === 'restored') parts.push(`Restored revision ${String(restoredFrom ?? summary?.restoredFrom ?? '?')}`);
  if (summary?.name) parts.push('name changed');
  if (summary?.description) parts.push('description changed');
  const r = summary?.rules;
  if (r) {
    if (r.added.length) parts.push(`${String(r.added.length)} rule${r.added.length === 1 ? '' : 's'} added`);
    if (r.removed.length) parts.push(`${String(r.removed.length)} removed`);
    if (r.changed.length) parts.push(`${String(r.changed.length)} changed`);
  }
  const text = parts.join(' · ') || 'No changes';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Props {
  projectUid: string;
  audience: Audience;
  catalog: AttributeCatalog;
  opened: boolean;
  dirty: boolean;
  canEdit: boolean;
  onClose: () => void;
  /** The restored audience, to reload the editor with. */
  onRestored: (audience: Audience) => void;
}

/** Revisions (who, when, what) and a side-by-side diff of one against the current version, with Restore. */
export function HistoryDrawer({ projectUid, audience, catalog, opened, dirty, canEdit, onClose, onRestored }: Props) {
  const revisions = useAudienceRevisions(projectUid, audience.uid, opened);
  const [selected, setSelected] = useState<number | null>(null);
  const revision = useAudienceRevision(projectUid, audience.uid, selected);
  const restore = useRestoreRevision(projectUid, audience.uid);

  const onRestore = (n: number) =>
    modals.openConfirmModal({
      title: `Restore revision ${String(n)}?`,
      centered: true,
      children: (
        <Text size="sm">
          The audience gets this revision&apos;s name, description and rules as a new revision; nothing is lost from the history.
          {dirty ? ' Your unsaved changes in the editor will be replaced.' : ''}
        </Text>
      ),
      labels: { confirm: 'Restore', cancel: 'Cancel' },
      onConfirm: () =>
        restore.mutate(
          { revision: n, version: audience.version },
          {
            onSuccess: (restored) => {
              notifySuccess(`Revision ${String(n)} restored`);
              setSelected(null);
              onRestored(restored);
            },
            onError: (error) => {
              if (conflictCurrent(error)) {
                notifyError(new Error('Someone saved this audience after you opened it. Reload the page, then restore again.'), 'Could not restore');
              } else notifyError(error, 'Could not restore');
            },
          },
        ),
    });

  const body = revision.data;
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="min(1200px, 96vw)" title="History">
      {revisions.isError ? (
        <QueryError error={revisions.error} onRetry={() => void revisions.refetch()} />
      ) : revisions.isPending ? (
        <Loader size="sm" aria-label="Loading history" />
      ) : (
        <Grid gutter="md">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <ScrollArea.Autosize mah="calc(100vh - 120px)" type="auto">
              <Stack gap={2} aria-label="Revisions" role="list">
                {revisions.data.map((r) => (
                  <NavLink
                    role="listitem"
                    key={r.number}
                    active={selected === r.number}
                    onClick={() => setSelected(r.number)}
                    data-testid={`revision-${String(r.number)}`}
                    label={
                      <Group gap={6}>
                        <Text size="sm" fw={600}>
                          Revision {r.number}
                        </Text>
                        {r.number === audience.version && (
                          <Badge size="xs" variant="light">
                            current
                          </Badge>
                        )}
                      </Group>
                    }
                    description={
                      <>
                        <Text size="xs">{summaryText(r.summary, r.action, r.restoredFrom)}</Text>
                        {r.summary.impact && (
                          <Text size="xs" c="orange.8" data-testid="revision-impact">
                            {describeImpactFigures(r.summary.impact).replace(/^saved/, 'Saved')}
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {r.createdByUserName} · {formatTimestamp(r.createdAt)}
                        </Text>
                      </>
                    }
                  />
                ))}
              </Stack>
            </ScrollArea.Autosize>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {selected === null ? (
              <Alert color="gray">Select a revision to compare it with the current version.</Alert>
            ) : revision.isError ? (
              <QueryError error={revision.error} onRetry={() => void revision.refetch()} />
            ) : body === undefined ? (
              <Loader size="sm" aria-label="Loading revision" />
            ) : (
              <Stack gap="sm">
                <Group justify="space-between">
                  <Text size="sm">
                    Revision {body.number} by {body.createdByUserName}, {formatTimestamp(body.createdAt)}
                  </Text>
                  {canEdit && body.number !== audience.version && (
                    <Button size="xs" leftSection={<IconRestore size={14} />} onClick={() => onRestore(body.number)} loading={restore.isPending}>
                      Restore
                    </Button>
                  )}
                </Group>
                <DefinitionDiff
                  catalog={catalog}
                  maxHeight={640}
                  left={{ title: `Revision ${String(body.number)}`, name: body.name, description: body.description, definition: body.definition as RuleCombination }}
                  right={{ title: `Current (v${String(audience.version)})`, name: audience.name, description: audience.description, definition: audience.definition as RuleCombination }}
                />
              </Stack>
            )}
          </Grid.Col>
        </Grid>
      )}
    </Drawer>
  );
}
