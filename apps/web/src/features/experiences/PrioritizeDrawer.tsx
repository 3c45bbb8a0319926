import { useState } from 'react';
import { Badge, Button, Drawer, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import type { Experience } from '@tailor/contract';
import { useSavePriority } from '../../api/experiences';
import { notifyError, notifySuccess } from '../../components/notify';
import { statusLabels, typeLabels } from './experience-list';
import { moveItem, sameOrder } from './priority-order';
import { SortableList } from './SortableList';
import { StatusBadge } from './StatusBadge';
import { runMutation } from './run-mutation';

function byPriority(experiences: Experience[]): Experience[] {
  return [...experiences].sort((a, b) => a.priority - b.priority);
}

/** The whole order is saved at once: the API takes the full set (else MISSING_EXPERIENCES). */
export function PrioritizeDrawer({ projectUid, experiences, opened, onClose }: { projectUid: string; experiences: Experience[]; opened: boolean; onClose: () => void }) {
  const original = byPriority(experiences);
  const [order, setOrder] = useState<Experience[] | null>(null);
  const current = order ?? original;
  const save = useSavePriority(projectUid);
  const changed = !sameOrder(current.map((e) => e.uid), original.map((e) => e.uid));
  const close = () => {
    setOrder(null);
    onClose();
  };

  return (
    <Drawer opened={opened} onClose={close} position="right" size="md" title={<Text fw={600}>Prioritize Experiences</Text>}>
      <Stack h="calc(100dvh - 120px)" gap="md">
        <Text size="sm" c="dimmed">
          Drag and drop experiences to adjust priorities, enhancing user engagement by displaying higher priority content in case of conflicting experiences.
          With the keyboard: focus a handle, press Space, move with the arrow keys and press Space again.
        </Text>
        <ScrollArea style={{ flex: 1 }} type="auto">
          <Stack gap={6} aria-label="Priority order" role="list">
            <SortableList
              items={current}
              idOf={(e) => e.uid}
              labelOf={(e) => e.name}
              onMove={(from, to) => setOrder(moveItem(current, from, to))}
              renderItem={(e, index, { handle }) => (
                <Paper withBorder p="xs" role="listitem" aria-label={e.name}>
                  <Group gap="sm" wrap="nowrap">
                    {handle}
                    <Badge variant="light" color="gray" w={36} px={0} aria-label={`Priority ${String(index + 1)}`}>
                      {index + 1}
                    </Badge>
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" fw={500} truncate="end" title={e.name}>
                        {e.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {typeLabels[e.__type]} · Short UID {e.shortUid}
                      </Text>
                    </div>
                    <StatusBadge status={e.status} label={statusLabels[e.status]} />
                  </Group>
                </Paper>
              )}
            />
          </Stack>
        </ScrollArea>
        <Group justify="space-between">
          <Button variant="subtle" disabled={!changed} onClick={() => setOrder(null)}>
            Reset
          </Button>
          <Group>
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              disabled={!changed}
              loading={save.isPending}
              onClick={() =>
                runMutation(save, 
                  current.map((e) => e.uid),
                  {
                    onSuccess: () => {
                      notifySuccess('Experience priority saved');
                      close();
                    },
                    onError: (error) => notifyError(error, 'Could not save the priority'),
                  },
                )
              }
            >
              Save
            </Button>
          </Group>
        </Group>
      </Stack>
    </Drawer>
  );
}
