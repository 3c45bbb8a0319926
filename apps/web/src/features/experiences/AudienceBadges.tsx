import { Badge, Button, Group, Text } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';

/** The chosen audiences as chips, and the button that opens the picker (hidden when read-only). */
export function AudienceBadges({
  uids,
  names,
  readOnly,
  onEdit,
  error,
  label,
}: {
  uids: string[];
  names: Map<string, string>;
  readOnly: boolean;
  onEdit: () => void;
  error?: string | undefined;
  label: string;
}) {
  return (
    <div>
      <Group gap={4} wrap="wrap">
        {uids.map((uid) => (
          <Badge key={uid} variant="light" color={names.has(uid) ? 'violet' : 'red'} tt="none" maw={200} title={names.get(uid) ?? 'Deleted audience'}>
            {names.get(uid) ?? `Unknown audience ${uid.slice(-6)}`}
          </Badge>
        ))}
        {!readOnly && (
          <Button size="compact-xs" variant={uids.length === 0 ? 'light' : 'subtle'} leftSection={<IconUsersGroup size={14} />} onClick={onEdit} aria-label={label}>
            {uids.length === 0 ? 'Select audiences' : 'Edit'}
          </Button>
        )}
        {readOnly && uids.length === 0 && (
          <Text size="sm" c="dimmed">
            -
          </Text>
        )}
      </Group>
      {error !== undefined && (
        <Text size="xs" c="red" mt={4}>
          {error}
        </Text>
      )}
    </div>
  );
}
