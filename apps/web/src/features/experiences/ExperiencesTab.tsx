import { useMemo, useState } from 'react';
import { ActionIcon, Anchor, Badge, Button, Group, MultiSelect, Paper, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowsSort, IconFlask, IconPlus, IconRefresh, IconSearch } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { Experience } from '@tailor/contract';
import { useAudiences } from '../../api/audiences';
import { useExperiences } from '../../api/experiences';
import { EmptyState } from '../../components/EmptyState';
import { ListBody, RowActionsMenu } from '../../components/resource-table/ListParts';
import { QueryError } from '../../components/QueryError';
import { formatTimestamp } from '../../components/time';
import { useCurrentProject } from '../projects/project-context';
import { useProjectPermissions } from '../projects/use-project-permissions';
import { DeleteExperienceModal } from './DeleteExperienceModal';
import { allTags, emptyFilters, filterExperiences, hasFilters, statusLabels, typeLabels, type ExperienceFilters } from './experience-list';
import { NewExperienceModal } from './NewExperienceModal';
import { PrioritizeDrawer } from './PrioritizeDrawer';
import { StatusBadge } from './StatusBadge';

const columns = 10;

function AudiencesCell({ uids, names }: { uids: string[]; names: Map<string, string> }) {
  if (uids.length === 0) return <Text size="sm" c="dimmed">-</Text>;
  const labels = uids.map((uid) => names.get(uid) ?? uid);
  const shown = labels.slice(0, 2);
  return (
    <Tooltip label={labels.join(', ')} disabled={labels.length <= 2} multiline maw={320} withinPortal>
      <Group gap={4} wrap="wrap">
        {shown.map((label) => (
          <Badge key={label} variant="outline" color="gray" tt="none" maw={160} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {label}
          </Badge>
        ))}
        {labels.length > 2 && (
          <Badge variant="light" color="gray">
            +{labels.length - 2}
          </Badge>
        )}
      </Group>
    </Tooltip>
  );
}

function AtCell({ at, by }: { at: string | null; by: string | null }) {
  if (at === null) return <Text size="sm" c="dimmed">-</Text>;
  return (
    <div>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatTimestamp(at)}
      </Text>
      {by !== null && (
        <Text size="xs" c="dimmed">
          {by}
        </Text>
      )}
    </div>
  );
}

export function ExperiencesTab() {
  const project = useCurrentProject();
  const { canEdit } = useProjectPermissions();
  const experiences = useExperiences(project.uid);
  const audiences = useAudiences(project.uid);
  const navigate = useNavigate();
  const [filters, setFilters] = useState<ExperienceFilters>(emptyFilters);
  const [creating, setCreating] = useState(false);
  const [prioritizing, setPrioritizing] = useState(false);
  const [deleting, setDeleting] = useState<Experience | null>(null);
  const base = `/projects/${project.uid}/experiences`;

  const rows = useMemo(() => filterExperiences(experiences.data ?? [], filters), [experiences.data, filters]);
  const tags = useMemo(() => allTags(experiences.data ?? []), [experiences.data]);
  const audienceNames = useMemo(() => new Map((audiences.data ?? []).map((a) => [a.uid, a.name])), [audiences.data]);

  if (experiences.isError) return <QueryError error={experiences.error} onRetry={() => void experiences.refetch()} />;

  const newButton = canEdit && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New Experience
    </Button>
  );
  const modal = <NewExperienceModal projectUid={project.uid} opened={creating} onClose={() => setCreating(false)} />;

  if (experiences.data?.length === 0) {
    return (
      <>
        <EmptyState icon={<IconFlask size={28} />} title="No experiences yet" action={newButton}>
          An experience decides which variant of your content each visitor sees: a Segmented experience shows a variant per audience, an A/B Test splits traffic between
          variants and measures conversions.
        </EmptyState>
        {modal}
      </>
    );
  }

  const set = (patch: Partial<ExperienceFilters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Group gap="xs">
          {newButton}
          {canEdit && (
            <Button variant="default" leftSection={<IconArrowsSort size={16} />} onClick={() => setPrioritizing(true)} disabled={(experiences.data?.length ?? 0) < 2}>
              Prioritize Experiences
            </Button>
          )}
          <ActionIcon variant="default" size="lg" aria-label="Refresh List" onClick={() => void experiences.refetch()} loading={experiences.isFetching && !experiences.isPending}>
            <IconRefresh size={16} />
          </ActionIcon>
        </Group>
        <TextInput
          w={300}
          placeholder="Search experiences"
          aria-label="Search experiences"
          leftSection={<IconSearch size={16} />}
          value={filters.query}
          onChange={(e) => set({ query: e.currentTarget.value })}
        />
      </Group>
      <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
        <MultiSelect
          w={220}
          size="xs"
          label="Status"
          placeholder={filters.statuses.length === 0 ? 'All statuses' : undefined}
          data={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))}
          value={filters.statuses}
          onChange={(statuses) => set({ statuses })}
          clearable
        />
        <MultiSelect
          w={220}
          size="xs"
          label="Type"
          placeholder={filters.types.length === 0 ? 'All types' : undefined}
          data={Object.entries(typeLabels).map(([value, label]) => ({ value, label }))}
          value={filters.types}
          onChange={(types) => set({ types })}
          clearable
        />
        <MultiSelect
          w={260}
          size="xs"
          label="Tags"
          placeholder={filters.tags.length === 0 ? (tags.length === 0 ? 'No tags yet' : 'Any tag') : undefined}
          data={tags}
          value={filters.tags}
          onChange={(t) => set({ tags: t })}
          disabled={tags.length === 0}
          searchable
          clearable
        />
        {hasFilters(filters) && (
          <Button size="xs" variant="subtle" onClick={() => setFilters(emptyFilters)}>
            Clear filters
          </Button>
        )}
      </Group>
      <Table.ScrollContainer minWidth={1150}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Experiences">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Priority</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th w={90}>Short UID</Table.Th>
              <Table.Th w={90}>Status</Table.Th>
              <Table.Th w={100}>Type</Table.Th>
              <Table.Th>Tags</Table.Th>
              <Table.Th>Activated At</Table.Th>
              <Table.Th>Audiences</Table.Th>
              <Table.Th>Modified At</Table.Th>
              <Table.Th w={70}>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListBody pending={experiences.isPending} columns={columns} empty={rows.length === 0} emptyText="No experiences match these filters.">
              {rows.map((e) => (
                <Table.Tr key={e.uid}>
                  <Table.Td>{e.priority}</Table.Td>
                  <Table.Td maw={280}>
                    <Anchor component={Link} to={`${base}/${e.uid}/configuration`} fw={500} size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {e.name}
                    </Anchor>
                    {e.description !== '' && (
                      <Text size="xs" c="dimmed" lineClamp={1} title={e.description}>
                        {e.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {e.shortUid}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={e.status} label={statusLabels[e.status]} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {typeLabels[e.__type]}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={200}>
                    {e.tags.length === 0 ? (
                      <Text size="sm" c="dimmed">-</Text>
                    ) : (
                      <Group gap={4}>
                        {e.tags.map((t) => (
                          <Badge key={t} size="sm" variant="light" tt="none">
                            {t}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <AtCell at={e.activatedAt} by={e.activatedByUserName} />
                  </Table.Td>
                  <Table.Td maw={260}>
                    <AudiencesCell uids={e.referredAudiences} names={audienceNames} />
                  </Table.Td>
                  <Table.Td>
                    <AtCell at={e.updatedAt} by={e.updatedByUserName} />
                  </Table.Td>
                  <Table.Td>
                    <RowActionsMenu
                      name={e.name}
                      editLabel={canEdit ? 'Edit' : 'View'}
                      onEdit={() => void navigate(`${base}/${e.uid}/configuration`)}
                      onDelete={canEdit ? () => setDeleting(e) : undefined}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </ListBody>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {experiences.data !== undefined && (
        <Text size="sm" c="dimmed" mt="sm" data-testid="records-count">
          {rows.length === experiences.data.length
            ? `${String(rows.length)} experience${rows.length === 1 ? '' : 's'}`
            : `${String(rows.length)} of ${String(experiences.data.length)} experiences`}
        </Text>
      )}
      {modal}
      {prioritizing && experiences.data !== undefined && (
        <PrioritizeDrawer projectUid={project.uid} experiences={experiences.data} opened onClose={() => setPrioritizing(false)} />
      )}
      {deleting && <DeleteExperienceModal projectUid={project.uid} experience={deleting} onClose={() => setDeleting(null)} />}
    </Paper>
  );
}
