import '@mantine/dates/styles.css';
import { useState } from 'react';
import { ActionIcon, Alert, Group, Loader, Paper, SegmentedControl, Select, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconChartLine, IconRefresh, IconTable } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { analyticsKeys, isNoAnalyticsData, useAnalyticsSummary, useAnalyticsTimeSeries } from '../../api/analytics';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { timeAgo } from '../../components/time';
import { useExperiencePage } from '../experiences/experience-page-context';
import { VersionStateActions } from '../experiences/VersionStateActions';
import { AnalyticsCharts } from './AnalyticsChart';
import { SummaryTable, TimeSeriesTable } from './AnalyticsTables';
import { analyzableVersions, defaultInterval, markers, primaryMetric, versionOptionLabel } from './analytics-view';
import { AnnotationList } from './AnnotationList';
import { SummaryCards } from './SummaryCards';

type Range = [string | null, string | null];

/** [from, to) as ISO instants for the API: whole local days, `to` left to the server (now) when it is today. */
function rangeQuery(range: Range): { from: string | undefined; to: string | undefined } {
  const [start, end] = range;
  if (start === null || end === null) return { from: undefined, to: undefined };
  const to = dayjs(end).add(1, 'day').startOf('day');
  return { from: dayjs(start).startOf('day').toISOString(), to: to.isAfter(dayjs()) ? undefined : to.toISOString() };
}

export function AnalyticsTab() {
  const { projectUid, experience, versions, selected, selectVersion } = useExperiencePage();
  const queryClient = useQueryClient();
  const periods = analyzableVersions(versions);
  // A draft has no analytics period: show the server's default (the active, else the last activated version).
  const versionUid = selected.activatedAt === null ? undefined : selected.uid;
  const summary = useAnalyticsSummary(projectUid, experience.uid, versionUid);
  const [range, setRange] = useState<Range>([null, null]);
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const [intervalChoice, setIntervalChoice] = useState<'day' | 'hour' | null>(null);
  const period = summary.data?.period;
  const { from, to } = rangeQuery(range);
  // The server's "data collected" instant stands for now, so rendering stays pure.
  const nowMs = period === undefined ? 0 : Date.parse(period.dataCollectedAt);
  const startMs = from !== undefined ? Date.parse(from) : period?.activatedAt != null ? Date.parse(period.activatedAt) : nowMs;
  const interval = intervalChoice ?? defaultInterval(startMs, to !== undefined ? Date.parse(to) : nowMs);
  const series = useAnalyticsTimeSeries(projectUid, experience.uid, { version: period?.versionUid, from, to, interval }, period !== undefined);
  const analyzed = versions.find((v) => v.uid === period?.versionUid);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: analyticsKeys.all(projectUid, experience.uid) });

  if (periods.length === 0) {
    return (
      <EmptyState icon={<IconChartLine size={28} />} title="No analytics yet">
        Analytics start when a version is activated. Configure the variants and choose Activate Draft; impressions{experience.__type === 'AB_TEST' ? ' and conversions' : ''} appear here
        within about a minute of visitors arriving.
      </EmptyState>
    );
  }

  const toolbar = (
    <Paper withBorder p="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <Select
            w={220}
            aria-label="Version"
            data={periods.map((v) => ({ value: v.uid, label: versionOptionLabel(v) }))}
            value={period?.versionUid ?? versionUid ?? null}
            allowDeselect={false}
            onChange={(uid) => uid !== null && selectVersion(uid === experience.latestVersion ? undefined : uid)}
          />
          <DatePickerInput
            type="range"
            w={260}
            aria-label="Date range"
            placeholder="Since activation"
            value={range}
            onChange={(value) => setRange([value[0], value[1]])}
            clearable
            maxDate={dayjs().format('YYYY-MM-DD')}
            valueFormat="MMM D, YYYY"
          />
          <SegmentedControl
            size="xs"
            aria-label="Interval"
            value={interval}
            onChange={(value) => setIntervalChoice(value === 'hour' ? 'hour' : 'day')}
            data={[
              { value: 'hour', label: 'Hourly' },
              { value: 'day', label: 'Daily' },
            ]}
          />
        </Group>
        <Group gap="sm">
          {period !== undefined && (
            <Text size="sm" c="dimmed" data-testid="data-collected">
              Data collected {timeAgo(period.dataCollectedAt)}
            </Text>
          )}
          <Tooltip label="Refresh">
            <ActionIcon variant="default" size="lg" aria-label="Refresh analytics" onClick={refresh} loading={summary.isFetching || series.isFetching}>
              <IconRefresh size={16} />
            </ActionIcon>
          </Tooltip>
          <SegmentedControl
            size="xs"
            aria-label="View"
            value={view}
            onChange={(value) => setView(value === 'table' ? 'table' : 'chart')}
            data={[
              { value: 'chart', label: <Group gap={4} wrap="nowrap"><IconChartLine size={14} />Chart</Group> },
              { value: 'table', label: <Group gap={4} wrap="nowrap"><IconTable size={14} />Table</Group> },
            ]}
          />
        </Group>
      </Group>
    </Paper>
  );

  const footer = analyzed !== undefined && (analyzed.status === 'ACTIVE' || analyzed.status === 'PAUSED') && (
    <Paper withBorder p="sm">
      <VersionStateActions version={analyzed} />
    </Paper>
  );

  if (summary.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading analytics">
        {toolbar}
        <Skeleton height={120} />
        <Skeleton height={280} />
      </Stack>
    );
  }

  if (summary.isError) {
    if (isNoAnalyticsData(summary.error)) {
      return (
        <Stack gap="md">
          {toolbar}
          <EmptyState icon={<IconChartLine size={28} />} title="No data yet for this version">
            No impressions have arrived for this version yet. Once the edge SDK reports impressions{experience.__type === 'AB_TEST' ? ' and events' : ''}, counts appear here within
            about a minute; use the refresh button to check.
          </EmptyState>
          {footer}
        </Stack>
      );
    }
    return <QueryError error={summary.error} onRetry={refresh} />;
  }

  const data = summary.data;
  const event = data.type === 'AB_TEST' ? primaryMetric(data.metrics)?.event : undefined;
  const markerList = series.data === undefined ? [] : markers(series.data.annotations);

  return (
    <Stack gap="md">
      {toolbar}
      <SummaryCards summary={data} />
      {series.isPending ? (
        <Paper withBorder p="md">
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">Loading the time series…</Text>
          </Group>
        </Paper>
      ) : series.isError ? (
        isNoAnalyticsData(series.error) ? (
          <Alert color="gray" title="No data in this date range">
            Choose a wider range, or clear it to see everything since activation.
          </Alert>
        ) : (
          <QueryError error={series.error} onRetry={() => void series.refetch()} />
        )
      ) : view === 'chart' ? (
        <>
          <AnalyticsCharts series={series.data} event={event} markerList={markerList} />
          <AnnotationList markerList={markerList} />
        </>
      ) : (
        <>
          <SummaryTable summary={data} />
          <TimeSeriesTable series={series.data} event={event} />
          <AnnotationList markerList={markerList} />
        </>
      )}
      {footer}
    </Stack>
  );
}
