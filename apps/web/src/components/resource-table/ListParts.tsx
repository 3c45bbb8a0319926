import type { ReactNode } from 'react';
import { ActionIcon, Group, Loader, Menu, Skeleton, Table, TextInput } from '@mantine/core';
import { IconDotsVertical, IconEdit, IconRefresh, IconSearch, IconTrash } from '@tabler/icons-react';
import { EmptyRow } from './TableParts';

/** Above a resource list: the create button (if any), Refresh List, and the search box. */
export function ListToolbar({
  action,
  onRefresh,
  refreshing,
  noun,
  query,
  onQuery,
  searching,
}: {
  action: ReactNode;
  onRefresh: () => void;
  refreshing: boolean;
  /** Plural, lower case: "events". */
  noun: string;
  query: string;
  onQuery: (query: string) => void;
  searching: boolean;
}) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Group gap="xs">
        {action}
        <ActionIcon variant="default" size="lg" aria-label="Refresh List" onClick={onRefresh} loading={refreshing}>
          <IconRefresh size={16} />
        </ActionIcon>
      </Group>
      <TextInput
        w={320}
        placeholder={`Search ${noun}`}
        aria-label={`Search ${noun}`}
        leftSection={<IconSearch size={16} />}
        value={query}
        onChange={(e) => onQuery(e.currentTarget.value)}
        rightSection={searching ? <Loader size="xs" /> : null}
      />
    </Group>
  );
}

/** A table body while loading (skeleton rows), when the search or filters match nothing (`emptyText`), or with its rows. */
export function ListBody({ pending, columns, empty, emptyText, children }: { pending: boolean; columns: number; empty: boolean; emptyText: ReactNode; children: ReactNode }) {
  if (pending) {
    return [0, 1, 2].map((i) => (
      <Table.Tr key={i} aria-hidden>
        {Array.from({ length: columns }, (_, c) => (
          <Table.Td key={c}>
            <Skeleton height={12} />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  }
  if (empty) {
    return (
      <EmptyRow colSpan={columns}>{emptyText}</EmptyRow>
    );
  }
  return children;
}

/** A row's ⋮ Actions menu: Edit (or View for read-only users) and Delete. */
export function RowActionsMenu({ name, editLabel = 'Edit', onEdit, onDelete }: { name: string; editLabel?: string; onEdit: () => void; onDelete?: (() => void) | undefined }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${name}`} data-testid="cs-table-action-options">
          <IconDotsVertical size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconEdit size={16} />} onClick={onEdit} data-testid="cs-ct-action-edit">
          {editLabel}
        </Menu.Item>
        {onDelete && (
          <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={onDelete} data-testid="cs-ct-action-delete">
            Delete
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
