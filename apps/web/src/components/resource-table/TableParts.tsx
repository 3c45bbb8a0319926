import type { ReactNode } from 'react';
import { ActionIcon, CopyButton, Group, Pagination, Select, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconChevronUp, IconCopy, IconSelector } from '@tabler/icons-react';
import { formatTimestamp } from '../time';
import type { SortState } from './use-table-view';

export function SortableTh<K extends string>({ label, sortKey, sort, onSort, width }: { label: string; sortKey: K; sort: SortState<K>; onSort: (key: K) => void; width?: number }) {
  const active = sort.key === sortKey;
  const Icon = active ? (sort.direction === 'asc' ? IconChevronUp : IconChevronDown) : IconSelector;
  return (
    <Table.Th w={width} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => onSort(sortKey)} aria-label={`Sort by ${label}`}>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Icon size={14} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** Unique ID with a copy icon, as Contentstack's tables show it. */
export function UidCell({ uid }: { uid: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {uid}
      </Text>
      <CopyButton value={uid} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
            <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy unique ID ${uid}`}>
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** "May 15, 2026 03:13 PM" over the user's name; "-" when the row has no audit fields (presets). */
export function AuditCell({ at, by, currentUserName }: { at: string | undefined; by: string | undefined; currentUserName?: string }) {
  if (!at) return <Text size="sm">-</Text>;
  return (
    <div>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatTimestamp(at)}
      </Text>
      {by && (
        <Text size="xs" c="dimmed">
          {currentUserName !== undefined && by === currentUserName ? 'Me' : by}
        </Text>
      )}
    </div>
  );
}

export function TableFooter({
  page,
  pageCount,
  pageSize,
  matching,
  total,
  noun,
  onPage,
  onPageSize,
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  matching: number;
  total: number;
  noun: string;
  onPage: (p: number) => void;
  onPageSize: (n: number) => void;
}) {
  const from = matching === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(matching, page * pageSize);
  return (
    <Group justify="space-between" mt="sm" wrap="wrap" gap="xs">
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          Showing
        </Text>
        <Select
          size="xs"
          w={76}
          aria-label="Records per page"
          data={['10', '25', '50', '100']}
          value={String(pageSize)}
          onChange={(v) => onPageSize(Number(v ?? 25))}
          allowDeselect={false}
        />
        <Text size="sm" c="dimmed" data-testid="records-count">
          {from} to {to} of {matching} records{matching !== total ? ` (${String(total)} ${noun} in all)` : ''}
        </Text>
      </Group>
      {pageCount > 1 && <Pagination size="sm" total={pageCount} value={page} onChange={onPage} withEdges aria-label="Pages" />}
    </Group>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={colSpan}>
        <Text size="sm" c="dimmed" ta="center" py="lg">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** A description column: two lines at most (the whole text on hover), "-" when empty. */
export function DescriptionCell({ text, maw = 320 }: { text: string; maw?: number }) {
  return (
    <Table.Td maw={maw}>
      <Text size="sm" lineClamp={2} title={text || undefined}>
        {text || '-'}
      </Text>
    </Table.Td>
  );
}
