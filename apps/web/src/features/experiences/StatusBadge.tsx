import { Badge } from '@mantine/core';

const colors: Record<string, string> = { ACTIVE: 'green', PAUSED: 'orange', DRAFT: 'gray', ARCHIVED: 'dark' };

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" style={{ flexShrink: 0 }}>
      {label ?? status.charAt(0) + status.slice(1).toLowerCase()}
    </Badge>
  );
}
