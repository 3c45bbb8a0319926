import { Paper, Table, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import type { AnalyticsSummary, AnalyticsTimeSeries } from '@tailor/contract';
import { formatLift, formatPercent, primaryMetric } from './analytics-view';

export function SummaryTable({ summary }: { summary: AnalyticsSummary }) {
  const ab = summary.type === 'AB_TEST';
  const primary = primaryMetric(summary.metrics);
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="sm">
        Per variant
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label="Analytics per variant" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Variant</Table.Th>
              <Table.Th ta="right">Impressions</Table.Th>
              {ab &&
                summary.metrics.map((m) => (
                  <Table.Th key={m.event} ta="right">
                    {m.key ?? m.event} {m.primary ? '(primary)' : ''}
                  </Table.Th>
                ))}
              {ab && primary !== undefined && <Table.Th ta="right">Lift (95% CI)</Table.Th>}
              {ab && primary !== undefined && <Table.Th ta="right">P2BB</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.variants.map((v, index) => {
              const main = primary === undefined ? undefined : v.metrics.find((m) => m.event === primary.event);
              const lift = formatLift(main?.lift ?? null);
              return (
                <Table.Tr key={v.shortUid}>
                  <Table.Td>
                    {v.name}
                    {ab && index === 0 ? (
                      <Text span c="dimmed" size="xs">
                        {' '}
                        (control)
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right">{v.impressions.toLocaleString('en-US')}</Table.Td>
                  {ab &&
                    summary.metrics.map((m) => {
                      const r = v.metrics.find((x) => x.event === m.event);
                      return (
                        <Table.Td key={m.event} ta="right">
                          {r === undefined ? '-' : `${r.conversions.toLocaleString('en-US')} (${formatPercent(r.conversionRate, 2)})`}
                        </Table.Td>
                      );
                    })}
                  {ab && primary !== undefined && <Table.Td ta="right">{index === 0 ? '—' : lift === null ? '-' : `${lift.expected} (${lift.interval.replace('95% CI ', '')})`}</Table.Td>}
                  {ab && primary !== undefined && <Table.Td ta="right">{formatPercent(main?.probabilityToBeBest ?? null)}</Table.Td>}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

export function TimeSeriesTable({ series, event }: { series: AnalyticsTimeSeries; event: string | undefined }) {
  const buckets = [...new Set(series.variants.flatMap((v) => v.points.map((p) => p.at)))].sort();
  const format = series.interval === 'hour' ? 'MMM D, YYYY HH:mm' : 'MMM D, YYYY';
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="sm">
        Over time ({series.interval === 'hour' ? 'hourly' : 'daily'})
      </Title>
      <Table.ScrollContainer minWidth={640} mah={420}>
        <Table aria-label="Analytics over time" stickyHeader striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{series.interval === 'hour' ? 'Hour' : 'Day'}</Table.Th>
              {series.variants.map((v) => (
                <Table.Th key={v.shortUid} ta="right">
                  {v.name}
                  {event !== undefined ? ' (impressions / conversions)' : ' (impressions)'}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {buckets.map((at) => (
              <Table.Tr key={at}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{dayjs(at).format(format)}</Table.Td>
                {series.variants.map((v) => {
                  const point = v.points.find((p) => p.at === at);
                  const metric = event === undefined ? undefined : point?.metrics.find((m) => m.event === event);
                  return (
                    <Table.Td key={v.shortUid} ta="right">
                      {point === undefined ? '-' : metric === undefined ? point.impressions : `${String(point.impressions)} / ${String(metric.conversions)}`}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
