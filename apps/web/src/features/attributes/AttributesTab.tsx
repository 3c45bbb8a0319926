import { useContext, useState } from 'react';
import { ActionIcon, Badge, Button, Paper, Table, Text, Tooltip } from '@mantine/core';
import { IconLock, IconPlus } from '@tabler/icons-react';
import type { Attribute, CustomAttribute } from '@tailor/contract';
import { useAttributeReferences, useAttributes, useDeleteAttribute } from '../../api/attributes';
import { AuthContext, displayName } from '../../app/auth-context';
import { QueryError } from '../../components/QueryError';
import { DeleteResourceModal } from '../audiences/DeleteResourceModal';
import { ListBody, ListToolbar, RowActionsMenu } from '../../components/resource-table/ListParts';
import { AuditCell, DescriptionCell, SortableTh, TableFooter, UidCell } from '../../components/resource-table/TableParts';
import { byText, useTableView } from '../../components/resource-table/use-table-view';
import { useCurrentProject } from '../projects/project-context';
import { useProjectPermissions } from '../projects/use-project-permissions';
import { AttributeModal } from './AttributeModal';

type SortKey = 'name' | 'type' | 'key' | 'description' | 'updatedAt' | 'createdAt';

const custom = (a: Attribute): CustomAttribute | undefined => (a.__type === 'CUSTOM' ? a : undefined);
const searchText = (a: Attribute) => `${a.name}\n${custom(a)?.key ?? ''}\n${a.description}\n${a.uid}`.toLowerCase();
const comparators: Record<SortKey, (a: Attribute, b: Attribute) => number> = {
  name: byText((a) => a.name),
  type: byText((a) => a.__type),
  key: byText((a) => custom(a)?.key),
  description: byText((a) => a.description),
  updatedAt: byText((a) => custom(a)?.updatedAt),
  createdAt: byText((a) => custom(a)?.createdAt),
};
// The server's order (presets first, in the console's order) until the user sorts.
const options = { searchText, comparators, initialSort: { key: 'type' as SortKey, direction: 'desc' as const }, pageSize: 25 };

function DeleteAttribute({ projectUid, attribute, onClose }: { projectUid: string; attribute: CustomAttribute; onClose: () => void }) {
  const references = useAttributeReferences(projectUid, attribute.uid);
  const remove = useDeleteAttribute(projectUid);
  return (
    <DeleteResourceModal
      projectUid={projectUid}
      noun="Attribute"
      name={attribute.name}
      references={references}
      howToUnblock="Remove the rules that use this attribute from these audiences, then delete it."
      deleting={remove.isPending}
      onDelete={(callbacks) => remove.mutate(attribute.uid, callbacks)}
      onClose={onClose}
    />
  );
}

export function AttributesTab({ canEdit: canEditProp }: { canEdit?: boolean } = {}) {
  const project = useCurrentProject();
  const user = useContext(AuthContext);
  const me = user ? displayName(user) : undefined;
  const permissions = useProjectPermissions();
  const canEdit = canEditProp ?? permissions.canEdit;
  const attributes = useAttributes(project.uid);
  const view = useTableView(attributes.data, options);
  const [editing, setEditing] = useState<CustomAttribute | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CustomAttribute | null>(null);
  const columns = 8;

  if (attributes.isError) return <QueryError error={attributes.error} onRetry={() => void attributes.refetch()} />;

  return (
    <Paper withBorder p="md">
      <ListToolbar
        action={
          canEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              New Attribute
            </Button>
          )
        }
        onRefresh={() => void attributes.refetch()}
        refreshing={attributes.isFetching && !attributes.isPending}
        noun="attributes"
        query={view.query}
        onQuery={view.setQuery}
        searching={view.searching}
      />
      <Table.ScrollContainer minWidth={1100}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Attributes">
          <Table.Thead>
            <Table.Tr>
              <SortableTh label="Name" sortKey="name" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Type" sortKey="type" sort={view.sort} onSort={view.toggleSort} width={100} />
              <SortableTh label="Key" sortKey="key" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Description" sortKey="description" sort={view.sort} onSort={view.toggleSort} />
              <Table.Th>Unique ID</Table.Th>
              <SortableTh label="Modified At" sortKey="updatedAt" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Created At" sortKey="createdAt" sort={view.sort} onSort={view.toggleSort} />
              <Table.Th w={70}>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListBody pending={attributes.isPending} columns={columns} empty={view.pageRows.length === 0} emptyText={`No attributes match “${view.query}”.`}>
              {view.pageRows.map((a) => {
                    const c = custom(a);
                    return (
                      <Table.Tr key={a.uid} data-testid={`attribute-row-${a.uid}`}>
                        <Table.Td maw={220}>
                          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                            {a.name}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={c ? 'violet' : 'gray'} tt="none" style={{ overflow: 'visible' }}>
                            {c ? 'Custom' : 'Preset'}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" ff={c ? 'monospace' : undefined}>
                            {c?.key ?? '-'}
                          </Text>
                        </Table.Td>
                        <DescriptionCell text={a.description} />
                        <Table.Td>
                          <UidCell uid={a.uid} />
                        </Table.Td>
                        <Table.Td>
                          <AuditCell at={c?.updatedAt} by={c?.updatedByUserName} currentUserName={me} />
                        </Table.Td>
                        <Table.Td>
                          <AuditCell at={c?.createdAt} by={c?.createdByUserName} currentUserName={me} />
                        </Table.Td>
                        <Table.Td>
                          {c && canEdit ? (
                            <RowActionsMenu name={a.name} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} />
                          ) : c ? null : (
                            <Tooltip label="Preset attributes cannot be changed" withArrow>
                              <ActionIcon variant="subtle" color="gray" aria-label={`${a.name} is read-only`} data-readonly>
                                <IconLock size={16} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
            </ListBody>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <TableFooter
        page={view.page}
        pageCount={view.pageCount}
        pageSize={view.pageSize}
        matching={view.matching}
        total={view.total}
        noun="attributes"
        onPage={view.setPage}
        onPageSize={view.setPageSize}
      />
      {editing !== null && <AttributeModal projectUid={project.uid} attribute={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteAttribute projectUid={project.uid} attribute={deleting} onClose={() => setDeleting(null)} />}
    </Paper>
  );
}
