import { useContext, useState } from 'react';
import { Button, Paper, Table, Text } from '@mantine/core';
import { IconPlus, IconTargetArrow } from '@tabler/icons-react';
import type { Event } from '@tailor/contract';
import { useDeleteEvent, useEventReferences, useEvents } from '../../api/events';
import { AuthContext, displayName } from '../../app/auth-context';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { DeleteResourceModal } from '../audiences/DeleteResourceModal';
import { ListBody, ListToolbar, RowActionsMenu } from '../../components/resource-table/ListParts';
import { AuditCell, DescriptionCell, SortableTh, TableFooter, UidCell } from '../../components/resource-table/TableParts';
import { byText, useTableView } from '../../components/resource-table/use-table-view';
import { useCurrentProject } from '../projects/project-context';
import { useProjectPermissions } from '../projects/use-project-permissions';
import { EventModal } from './EventModal';

type SortKey = 'key' | 'description' | 'updatedAt' | 'createdAt';

const searchText = (e: Event) => `${e.key}\n${e.description}\n${e.uid}`.toLowerCase();
const comparators: Record<SortKey, (a: Event, b: Event) => number> = {
  key: byText((e) => e.key),
  description: byText((e) => e.description),
  updatedAt: byText((e) => e.updatedAt),
  createdAt: byText((e) => e.createdAt),
};
const options = { searchText, comparators, initialSort: { key: 'updatedAt' as SortKey, direction: 'desc' as const } };

function DeleteEvent({ projectUid, event, onClose }: { projectUid: string; event: Event; onClose: () => void }) {
  const references = useEventReferences(projectUid, event.uid);
  const remove = useDeleteEvent(projectUid);
  return (
    <DeleteResourceModal
      projectUid={projectUid}
      noun="Event"
      name={event.key}
      references={references}
      howToUnblock="Remove the event from the metrics of these experience versions (or archive them), then delete it."
      deleting={remove.isPending}
      onDelete={(callbacks) => remove.mutate(event.uid, callbacks)}
      onClose={onClose}
    />
  );
}

export function EventsTab({ canEdit: canEditProp }: { canEdit?: boolean } = {}) {
  const project = useCurrentProject();
  const user = useContext(AuthContext);
  const me = user ? displayName(user) : undefined;
  const permissions = useProjectPermissions();
  const canEdit = canEditProp ?? permissions.canEdit;
  const events = useEvents(project.uid);
  const view = useTableView(events.data, options);
  const [editing, setEditing] = useState<Event | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Event | null>(null);
  const columns = 6;

  if (events.isError) return <QueryError error={events.error} onRetry={() => void events.refetch()} />;

  const newButton = canEdit && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      New Event
    </Button>
  );
  const modals = (
    <>
      {editing !== null && <EventModal projectUid={project.uid} event={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteEvent projectUid={project.uid} event={deleting} onClose={() => setDeleting(null)} />}
    </>
  );

  if (events.data?.length === 0) {
    return (
      <>
        <EmptyState icon={<IconTargetArrow size={28} />} title="No events yet" action={newButton}>
          Events are the conversions your site reports with triggerEvent(key); A/B tests use them as metrics.
        </EmptyState>
        {modals}
      </>
    );
  }

  return (
    <Paper withBorder p="md">
      <ListToolbar
        action={newButton}
        onRefresh={() => void events.refetch()}
        refreshing={events.isFetching && !events.isPending}
        noun="events"
        query={view.query}
        onQuery={view.setQuery}
        searching={view.searching}
      />
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Events">
          <Table.Thead>
            <Table.Tr>
              <SortableTh label="Key" sortKey="key" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Description" sortKey="description" sort={view.sort} onSort={view.toggleSort} />
              <Table.Th>Unique ID</Table.Th>
              <SortableTh label="Last modified" sortKey="updatedAt" sort={view.sort} onSort={view.toggleSort} />
              <SortableTh label="Created At" sortKey="createdAt" sort={view.sort} onSort={view.toggleSort} />
              <Table.Th w={70}>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListBody pending={events.isPending} columns={columns} empty={view.pageRows.length === 0} emptyText={`No events match “${view.query}”.`}>
              {view.pageRows.map((e) => (
                    <Table.Tr key={e.uid}>
                      <Table.Td maw={260}>
                        <Text size="sm" fw={500} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                          {e.key}
                        </Text>
                      </Table.Td>
                      <DescriptionCell text={e.description} maw={360} />
                      <Table.Td>
                        <UidCell uid={e.uid} />
                      </Table.Td>
                      <Table.Td>
                        <AuditCell at={e.updatedAt} by={e.updatedByUserName} currentUserName={me} />
                      </Table.Td>
                      <Table.Td>
                        <AuditCell at={e.createdAt} by={e.createdByUserName} currentUserName={me} />
                      </Table.Td>
                      <Table.Td>
                        {canEdit && <RowActionsMenu name={e.key} onEdit={() => setEditing(e)} onDelete={() => setDeleting(e)} />}
                      </Table.Td>
                    </Table.Tr>
                  ))}
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
        noun="events"
        onPage={view.setPage}
        onPageSize={view.setPageSize}
      />
      {modals}
    </Paper>
  );
}
