import { memo, useContext, useState } from 'react';
import { Anchor, Button, Loader, Paper, Popover, Table, Text } from '@mantine/core';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { Audience } from '@tailor/contract';
import { useAudienceReferences, useAudiences, useDeleteAudience } from '../../api/audiences';
import { AuthContext, displayName } from '../../app/auth-context';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { useCurrentProject } from '../projects/project-context';
import { useProjectPermissions } from '../projects/use-project-permissions';
import { DeleteResourceModal } from './DeleteResourceModal';
import { ReferencesList } from './ReferencesList';
import { ListBody, ListToolbar, RowActionsMenu } from '../../components/resource-table/ListParts';
import { AuditCell, DescriptionCell, SortableTh, TableFooter, UidCell } from '../../components/resource-table/TableParts';
import { byNumber, byText, useTableView } from '../../components/resource-table/use-table-view';

type SortKey = 'name' | 'description' | 'usedIn' | 'updatedAt' | 'createdAt';

const searchText = (a: Audience) => `${a.name}\n${a.description}`.toLowerCase();
const comparators: Record<SortKey, (a: Audience, b: Audience) => number> = {
  name: byText((a) => a.name),
  description: byText((a) => a.description),
  usedIn: byNumber((a) => a.referenceCount),
  updatedAt: byText((a) => a.updatedAt),
  createdAt: byText((a) => a.createdAt),
};
const options = { searchText, comparators, initialSort: { key: 'updatedAt' as SortKey, direction: 'desc' as const } };

function UsedInCell({ projectUid, audience }: { projectUid: string; audience: Audience }) {
  const [opened, setOpened] = useState(false);
  const refs = useAudienceReferences(projectUid, audience.uid, opened);
  const count = audience.referenceCount ?? 0;
  if (count === 0) return <Text size="sm">-</Text>;
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" withArrow shadow="md" width={360}>
      <Popover.Target>
        <Anchor component="button" type="button" size="sm" onClick={() => setOpened((o) => !o)} aria-label={`${audience.name} is used in ${String(count)} experiences`}>
          {count} experience{count === 1 ? '' : 's'}
        </Anchor>
      </Popover.Target>
      <Popover.Dropdown>
        {refs.isPending ? <Loader size="xs" /> : refs.isError ? <Text size="sm">Could not load</Text> : <ReferencesList projectUid={projectUid} references={refs.data.filter((r) => r.kind === 'experience')} />}
      </Popover.Dropdown>
    </Popover>
  );
}

interface AudienceRowsProps {
  rows: Audience[];
  base: string;
  projectUid: string;
  me: string | undefined;
  canEdit: boolean;
  onDelete: (audience: Audience) => void;
}

/**
 * The visible page of rows. Memoized so a keystroke in the search box re-renders only the box;
 * the rows re-render once the deferred filter has produced a new page.
 */
const AudienceRows = memo(function AudienceRows({ rows, base, projectUid, me, canEdit, onDelete }: AudienceRowsProps) {
  const navigate = useNavigate();
  return rows.map((a) => (
    <Table.Tr key={a.uid}>
      <Table.Td maw={260}>
        <Anchor component={Link} to={`${base}/${a.uid}`} fw={500} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {a.name}
        </Anchor>
      </Table.Td>
      <DescriptionCell text={a.description} />
      <Table.Td>
        <UidCell uid={a.uid} />
      </Table.Td>
      <Table.Td>
        <UsedInCell projectUid={projectUid} audience={a} />
      </Table.Td>
      <Table.Td>
        <AuditCell at={a.updatedAt} by={a.updatedByUserName} currentUserName={me} />
      </Table.Td>
      <Table.Td>
        <AuditCell at={a.createdAt} by={a.createdByUserName} currentUserName={me} />
      </Table.Td>
      <Table.Td>
        <RowActionsMenu name={a.name} editLabel={canEdit ? 'Edit' : 'View'} onEdit={() => void navigate(`${base}/${a.uid}`)} onDelete={canEdit ? () => onDelete(a) : undefined} />
      </Table.Td>
    </Table.Tr>
  ));
});

function DeleteAudience({ projectUid, audience, onClose }: { projectUid: string; audience: Audience; onClose: () => void }) {
  const references = useAudienceReferences(projectUid, audience.uid);
  const remove = useDeleteAudience(projectUid);
  return (
    <DeleteResourceModal
      projectUid={projectUid}
      noun="Audience"
      name={audience.name}
      references={references}
      howToUnblock="Remove the audience from the variants and targeting of these experience versions (or archive them), then delete it."
      deleting={remove.isPending}
      onDelete={(callbacks) => remove.mutate(audience.uid, callbacks)}
      onClose={onClose}
    />
  );
}

export function AudiencesTab({ canEdit: canEditProp }: { canEdit?: boolean } = {}) {
  const project = useCurrentProject();
  const user = useContext(AuthContext);
  const me = user ? displayName(user) : undefined;
  const permissions = useProjectPermissions();
  const canEdit = canEditProp ?? permissions.canEdit;
  const audiences = useAudiences(project.uid);
  const view = useTableView(audiences.data, options);
  const [deleting, setDeleting] = useState<Audience | null>(null);
  const base = `/projects/${project.uid}/audiences`;
  const columns = 7;

  if (audiences.isError) return <QueryError error={audiences.error} onRetry={() => void audiences.refetch()} />;

  const newButton = canEdit && (
    <Button leftSection={<IconPlus size={16} />} component={Link} to={`${base}/new`} data-testid="add-new-audience-button">
      New Audience
    </Button>
  );

  if (audiences.data?.length === 0) {
    return (
      <EmptyState icon={<IconUsersGroup size={28} />} title="No audiences yet" action={newButton}>
        Audiences define who sees a variant: rules over attributes such as country, device or your own custom attributes, combined with Match All and Match Any.
      </EmptyState>
    );
  }

  return (
    <Paper withBorder p="md">
      <ListToolbar
        action={newButton}
        onRefresh={() => void audiences.refetch()}
        refreshing={audiences.isFetching && !audiences.isPending}
        noun="audiences"
        query={view.query}
        onQuery={view.setQuery}
        searching={view.searching}
      />
      <Table.ScrollContainer minWidth={1000}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Audiences">
          <Table.Thead>
            <Table.Tr>
              <SortableTh label="Name" sortKey="name" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Description" sortKey="description" sort={view.sort} onSort={view.toggleSort} />
              <Table.Th>Unique ID</Table.Th>
              <SortableTh label="Used in" sortKey="usedIn" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Modified At" sortKey="updatedAt" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Created At" sortKey="createdAt" sort={view.sort} onSort={view.toggleSort} />
              <Table.Th w={70}>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListBody pending={audiences.isPending} columns={columns} empty={view.pageRows.length === 0} emptyText={`No audiences match “${view.query}”.`}>
              <AudienceRows rows={view.pageRows} base={base} projectUid={project.uid} me={me} canEdit={canEdit} onDelete={setDeleting} />
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
        noun="audiences"
        onPage={view.setPage}
        onPageSize={view.setPageSize}
      />
      {deleting && <DeleteAudience projectUid={project.uid} audience={deleting} onClose={() => setDeleting(null)} />}
    </Paper>
  );
}
