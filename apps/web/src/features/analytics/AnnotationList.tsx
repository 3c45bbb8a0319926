import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';
import { formatTimestamp } from '../../components/time';
import type { Marker } from './analytics-view';

/** The audience edits behind the chart markers, readable without hovering. */
export function AnnotationList({ markerList }: { markerList: Marker[] }) {
  return (
    <Paper withBorder p="md">
      <Group gap={6} mb="xs">
        <IconUsersGroup size={18} />
        <Title order={3} size="h5">
          Audience edits in this period
        </Title>
      </Group>
      {markerList.length === 0 ? (
        <Text size="sm" c="dimmed">
          None of this version&apos;s audiences changed in the selected range.
        </Text>
      ) : (
        <Stack gap="xs" role="list" aria-label="Audience edits">
          {markerList.map((m) => (
            <Group key={`${m.audienceUid}-${String(m.revision)}`} gap="sm" wrap="nowrap" align="flex-start" role="listitem">
              <Badge color="orange" variant="filled" circle>
                {m.number}
              </Badge>
              <div style={{ minWidth: 0 }}>
                <Text size="sm">
                  <b>{m.audienceName}</b> {m.action} (revision {m.revision}) by {m.actor} · {formatTimestamp(m.at)}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {m.summary}
                </Text>
              </div>
            </Group>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="sm">
        An audience edit changes who sees a variant from that moment on, so rates before and after a marker may not be comparable.
      </Text>
    </Paper>
  );
}
