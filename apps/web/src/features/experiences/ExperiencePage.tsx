import { useCallback, useMemo } from 'react';
import { Alert, Anchor, Badge, Box, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconLock } from '@tabler/icons-react';
import { Link, Outlet, useParams, useSearchParams } from 'react-router';
import { useExperience, useVersions } from '../../api/experiences';
import { QueryError } from '../../components/QueryError';
import { TabNav } from '../../components/TabNav';
import { useCurrentProject } from '../projects/project-context';
import { useProjectPermissions } from '../projects/use-project-permissions';
import { ExperienceSidePanel } from './ExperienceSidePanel';
import type { ExperiencePageContext } from './experience-page-context';
import { StatusBadge } from './StatusBadge';

const tabs = [
  { label: 'Overview', to: 'overview' },
  { label: 'Configuration', to: 'configuration' },
  { label: 'Analytics', to: 'analytics' },
];

export function ExperiencePage() {
  const project = useCurrentProject();
  const { canEdit } = useProjectPermissions();
  const { experienceUid = '' } = useParams();
  const experience = useExperience(project.uid, experienceUid);
  const versions = useVersions(project.uid, experienceUid);
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('version') ?? undefined;
  const base = `/projects/${project.uid}/experiences/${experienceUid}`;

  const sorted = useMemo(() => [...(versions.data ?? [])].sort((a, b) => b.versionNumber - a.versionNumber), [versions.data]);
  const selectVersion = useCallback(
    (versionUid: string | undefined) =>
      setSearchParams(
        (params) => {
          const next = new URLSearchParams(params);
          if (versionUid === undefined) next.delete('version');
          else next.set('version', versionUid);
          return next;
        },
        { replace: false },
      ),
    [setSearchParams],
  );

  const back = (
    <Anchor component={Link} to={`/projects/${project.uid}/experiences`} size="sm" c="dimmed" w="fit-content">
      <Group gap={4}>
        <IconArrowLeft size={14} />
        Experiences
      </Group>
    </Anchor>
  );

  if (experience.isError) return <QueryError error={experience.error} onRetry={() => void experience.refetch()} />;
  if (versions.isError) return <QueryError error={versions.error} onRetry={() => void versions.refetch()} />;
  if (experience.data === undefined || versions.data === undefined) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading experience">
        {back}
        <Skeleton height={28} width={320} />
        <Skeleton height={240} />
      </Stack>
    );
  }

  const data = experience.data;
  const selected =
    sorted.find((v) => v.uid === requested) ?? sorted.find((v) => v.uid === data.latestVersion) ?? sorted[0];
  if (selected === undefined) return <QueryError error={new Error('This experience has no versions.')} />;
  const query = requested === undefined ? '' : `?version=${requested}`;
  const context: ExperiencePageContext = {
    projectUid: project.uid,
    experience: data,
    versions: sorted,
    selected,
    selectVersion,
    reloadVersions: () => Promise.all([versions.refetch(), experience.refetch()]),
    canEdit,
  };

  return (
    <Stack gap="md">
      {back}
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Group gap="sm" wrap="nowrap">
            <Title order={2} size="h3" style={{ overflowWrap: 'anywhere' }}>
              {data.name}
            </Title>
            <StatusBadge status={data.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {data.__type === 'SEGMENTED' ? 'Segmented Experience' : 'A/B Test'} · Short UID {data.shortUid}
          </Text>
        </div>
        {selected.uid !== data.latestVersion && (
          <Badge variant="outline" color={selected.status === 'ARCHIVED' ? 'dark' : 'violet'} size="lg" tt="none">
            Viewing Version {selected.versionNumber}
          </Badge>
        )}
      </Group>
      <TabNav label="Experience" items={tabs.map((t) => ({ ...t, to: `${base}/${t.to}${query}` }))} />
      {!canEdit && (
        <Alert color="gray" icon={<IconLock size={18} />} role="note">
          You have read-only access to this project&apos;s experiences.
        </Alert>
      )}
      <Box style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 300px', gap: 'var(--mantine-spacing-lg)', alignItems: 'start' }}>
        <div style={{ minWidth: 0 }}>
          <Outlet context={context} />
        </div>
        <ExperienceSidePanel experience={data} versions={sorted} selected={selected} onSelect={selectVersion} />
      </Box>
    </Stack>
  );
}
