import { Badge, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import type { AttributeCatalog, RuleCombination } from '@tailor/engine';
import { diffDefinitions, type DiffRow, type DiffStatus } from '../../components/rule-builder/rule-summary';

const tone: Record<DiffStatus, string | undefined> = {
  same: undefined,
  changed: 'var(--mantine-color-yellow-0)',
  added: 'var(--mantine-color-green-0)',
  removed: 'var(--mantine-color-red-0)',
};

const badge: Record<DiffStatus, { color: string; label: string } | undefined> = {
  same: undefined,
  changed: { color: 'yellow', label: 'changed' },
  added: { color: 'green', label: 'only right' },
  removed: { color: 'red', label: 'only left' },
};

export interface Side {
  title: string;
  name: string;
  description: string;
  definition: RuleCombination | undefined;
}

function Cell({ row, side }: { row: DiffRow; side: 'left' | 'right' }) {
  const line = side === 'left' ? row.left : row.right;
  if (!line) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Text size="sm" pl={line.depth * 14} fw={line.path.endsWith('.combinationType') ? 600 : 400} style={{ wordBreak: 'break-word' }}>
      {line.text}
    </Text>
  );
}

function FieldRow({ label, left, right }: { label: string; left: string; right: string }) {
  const differs = left !== right;
  return (
    <Table.Tr style={{ background: differs ? tone.changed : undefined }}>
      <Table.Td w={110}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>{left || '-'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>{right || '-'}</Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Side-by-side comparison of two audiences: name, description, then the rules line by line. */
export function DefinitionDiff({ left, right, catalog, maxHeight = 420 }: { left: Side; right: Side; catalog: AttributeCatalog; maxHeight?: number }) {
  const rows = diffDefinitions(left.definition, right.definition, catalog);
  const changes = rows.filter((r) => r.status !== 'same').length;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {changes === 0 ? 'The rules are identical.' : `${String(changes)} rule line${changes === 1 ? '' : 's'} differ.`}
      </Text>
      <ScrollArea.Autosize mah={maxHeight} type="auto">
        <Table withTableBorder withColumnBorders layout="fixed" aria-label={`${left.title} compared with ${right.title}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={110} />
              <Table.Th>{left.title}</Table.Th>
              <Table.Th>{right.title}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <FieldRow label="Name" left={left.name} right={right.name} />
            <FieldRow label="Description" left={left.description} right={right.description} />
            {rows.map((row) => {
              const b = badge[row.status];
              return (
                <Table.Tr key={row.path} style={{ background: tone[row.status] }} data-diff={row.status}>
                  <Table.Td w={110}>
                    <Group gap={4}>
                      <Text size="xs" c="dimmed">
                        {row.path.endsWith('.combinationType') ? 'Group' : 'Rule'}
                      </Text>
                      {b && (
                        <Badge size="xs" color={b.color} variant="light">
                          {b.label}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Cell row={row} side="left" />
                  </Table.Td>
                  <Table.Td>
                    <Cell row={row} side="right" />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}
