import { Paper, Stack, Text, Title, UnstyledButton, Group } from '@mantine/core';
import { IconHistory, IconInfoCircle } from '@tabler/icons-react';
import type { Experience, Version } from '@tailor/contract';
import { formatTimestamp } from '../../components/time';
import { StatusBadge } from './StatusBadge';

function Field({ label, value, mono = false }: { label: string; value: string | null | number; mono?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ff={mono ? 'monospace' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {value === null || value === '' ? '-' : value}
      </Text>
    </div>
  );
}

export function ExperienceSidePanel({
  experience,
  versions,
  selected,
  onSelect,
}: {
  experience: Experience;
  versions: Version[];
  selected: Version;
  onSelect: (versionUid: string | undefined) => void;
}) {
  return (
    <Stack gap="md" component="aside" aria-label="Experience information">
      <Paper withBorder p="md">
        <Group gap={6} mb="sm">
          <IconInfoCircle size={18} />
          <Title order={3} size="h5">
            General Information
          </Title>
        </Group>
        <Stack gap="xs">
          <Field label="Experience UID" value={experience.uid} mono />
          <Field label="Experience Short UID" value={experience.shortUid} mono />
          <Field label="Priority" value={experience.priority} />
          <Field label="Created By" value={experience.createdByUserName} />
          <Field label="Created At" value={formatTimestamp(experience.createdAt)} />
          <Field label="Modified By" value={experience.updatedByUserName} />
          <Field label="Modified At" value={formatTimestamp(experience.updatedAt)} />
          <Field label="Activated By" value={experience.activatedByUserName} />
          <Field label="Activated At" value={experience.activatedAt === null ? null : formatTimestamp(experience.activatedAt)} />
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Group gap={6} mb="sm">
          <IconHistory size={18} />
          <Title order={3} size="h5">
            Version History
          </Title>
        </Group>
        <Stack gap={4} role="list" aria-label="Version history">
          {versions.map((v) => {
            const current = v.uid === selected.uid;
            return (
              <UnstyledButton
                key={v.uid}
                role="listitem"
                aria-current={current ? 'true' : undefined}
                aria-label={`Version ${String(v.versionNumber)}, ${v.status.toLowerCase()}`}
                onClick={() => onSelect(v.uid === experience.latestVersion ? undefined : v.uid)}
                p="xs"
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  background: current ? 'var(--mantine-color-violet-0)' : undefined,
                  border: `1px solid ${current ? 'var(--mantine-color-violet-3)' : 'transparent'}`,
                }}
              >
                <Group justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={current ? 600 : 400}>
                    Version {v.versionNumber}
                  </Text>
                  <StatusBadge status={v.status} />
                </Group>
                <Text size="xs" c="dimmed">
                  {v.status === 'ARCHIVED' && v.archivedAt !== null
                    ? `Archived ${formatTimestamp(v.archivedAt)}`
                    : v.activatedAt !== null
                      ? `Activated ${formatTimestamp(v.activatedAt)}${v.activatedByUserName === null ? '' : ` by ${v.activatedByUserName}`}`
                      : `Modified ${formatTimestamp(v.updatedAt)} by ${v.updatedByUserName}`}
                </Text>
              </UnstyledButton>
            );
          })}
        </Stack>
      </Paper>
    </Stack>
  );
}
