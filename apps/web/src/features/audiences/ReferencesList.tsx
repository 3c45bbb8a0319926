import { Anchor, Badge, Group, List, Text } from '@mantine/core';
import type { Reference } from '@tailor/contract';
import { Link } from 'react-router';

const statusColor: Record<string, string> = { ACTIVE: 'green', DRAFT: 'gray', PAUSED: 'yellow', ARCHIVED: 'dark' };

const viaLabel: Record<Reference['via'], string> = {
  variant: 'a variant',
  targeting: 'targeting',
  metric: 'a metric',
  rule: 'a rule',
};

/** Links to what uses a resource: experience versions (with status) or audiences. */
export function ReferencesList({ projectUid, references }: { projectUid: string; references: Reference[] }) {
  return (
    <List size="sm" spacing={4} data-testid="references-list">
      {references.map((r) => (
        <List.Item key={`${r.kind}:${r.uid}:${r.versionUid ?? ''}:${r.via}:${r.path ?? ''}`}>
          <Group gap={6} wrap="wrap">
            <Anchor component={Link} to={`/projects/${projectUid}/${r.kind === 'audience' ? 'audiences' : 'experiences'}/${r.uid}`} size="sm">
              {r.name}
            </Anchor>
            {r.versionStatus && (
              <Badge size="xs" variant="light" color={statusColor[r.versionStatus] ?? 'gray'}>
                {r.versionStatus}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {r.kind === 'experience' ? `via ${viaLabel[r.via]}` : `in ${r.path ?? 'its rules'}`}
            </Text>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}

export const isActiveReference = (r: Reference) => r.kind === 'experience' && r.versionStatus === 'ACTIVE';
