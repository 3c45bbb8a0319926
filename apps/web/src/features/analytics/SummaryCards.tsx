import { Alert, Badge, Group, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconHourglass, IconInfoCircle, IconTrophy } from '@tabler/icons-react';
import type { AnalyticsSummary } from '@tailor/contract';
import { formatLift, formatPercent, headline, primaryMetric, variantColor } from './analytics-view';

function Figure({ label, value, hint }: { label: string; value: string; hint?: string | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" lh={1.2}>
        {value}
      </Text>
      {hint !== undefined && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

export function SrmWarning({ srm }: { srm: NonNullable<AnalyticsSummary['srm']> }) {
  const observedTotal = srm.observed.reduce((a, b) => a + b, 0);
  const observedShares = srm.observed.map((o) => formatPercent(observedTotal === 0 ? 0 : o / observedTotal, 1)).join(' / ');
  const expectedTotal = srm.expected.reduce((a, b) => a + b, 0);
  const expectedShares = srm.expected.map((e) => formatPercent(expectedTotal === 0 ? 0 : e / expectedTotal, 1)).join(' / ');
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Sample ratio mismatch: do not trust these results yet" data-testid="srm-warning">
      Visitors were split {observedShares}, but the test is configured for {expectedShares} (chi-square p = {srm.pValue < 0.0001 ? srm.pValue.toExponential(1) : srm.pValue.toFixed(4)}). Something
      other than chance is skewing assignment: redirects, caching, bots, or impressions sent only for some variants.
    </Alert>
  );
}

/** The verdict (winner, or why not), the SRM check and a card per variant. */
export function SummaryCards({ summary }: { summary: AnalyticsSummary }) {
  const primary = primaryMetric(summary.metrics);
  const head = headline(summary);
  const ab = summary.type === 'AB_TEST';

  return (
    <Stack gap="md">
      {ab && (
        <Alert
          color={head.kind === 'winner' ? 'green' : 'gray'}
          icon={head.kind === 'winner' ? <IconTrophy size={18} /> : <IconHourglass size={18} />}
          title={head.title}
          data-testid="analytics-headline"
        >
          {head.detail}
        </Alert>
      )}
      {summary.srm?.flagged === true && <SrmWarning srm={summary.srm} />}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: Math.min(3, Math.max(1, summary.variants.length)) }} spacing="md">
        {summary.variants.map((variant, index) => {
          const metric = primary === undefined ? undefined : variant.metrics.find((m) => m.event === primary.event);
          const lift = formatLift(metric?.lift ?? null);
          const isWinner = summary.winner?.shortUid === variant.shortUid;
          return (
            <Paper key={variant.shortUid} withBorder p="md" aria-label={`Variant ${variant.name}`} style={{ borderTop: `3px solid ${variantColor(index)}` }}>
              <Group justify="space-between" wrap="nowrap" mb="sm">
                <Text fw={600} truncate="end" title={variant.name}>
                  {variant.name}
                </Text>
                <Group gap={4} wrap="nowrap">
                  {ab && index === 0 && (
                    <Badge size="sm" variant="outline" color="gray">
                      Control
                    </Badge>
                  )}
                  {isWinner && (
                    <Badge size="sm" color="green" leftSection={<IconTrophy size={12} />}>
                      Winner
                    </Badge>
                  )}
                </Group>
              </Group>
              <SimpleGrid cols={ab && metric !== undefined ? 2 : 1} spacing="sm">
                <Figure label="Impressions" value={variant.impressions.toLocaleString('en-US')} hint="unique visitors" />
                {ab && metric !== undefined && (
                  <Figure label={`Conversions (${primary?.key ?? 'primary'})`} value={metric.conversions.toLocaleString('en-US')} hint={`${formatPercent(metric.conversionRate, 2)} conversion rate`} />
                )}
              </SimpleGrid>
              {ab && metric !== undefined && (
                <Stack gap={6} mt="sm">
                  <div>
                    <Group justify="space-between">
                      <Text size="xs" c="dimmed">
                        Probability to be best
                      </Text>
                      <Text size="sm" fw={600} data-testid="p2bb">
                        {metric.probabilityToBeBest === null ? 'not enough data yet' : formatPercent(metric.probabilityToBeBest)}
                      </Text>
                    </Group>
                    <Progress value={(metric.probabilityToBeBest ?? 0) * 100} color={isWinner ? 'green' : 'violet'} size="sm" aria-hidden />
                  </div>
                  <Group justify="space-between" align="flex-start" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      Lift vs control
                    </Text>
                    <div style={{ textAlign: 'right' }}>
                      <Text size="sm" fw={600}>
                        {index === 0 ? '—' : (lift?.expected ?? 'not enough data yet')}
                      </Text>
                      {lift !== null && index > 0 && (
                        <Text size="xs" c="dimmed">
                          {lift.interval}
                        </Text>
                      )}
                    </div>
                  </Group>
                </Stack>
              )}
            </Paper>
          );
        })}
      </SimpleGrid>
      {ab && primary === undefined && (
        <Alert color="gray" icon={<IconInfoCircle size={18} />}>
          This version has no metrics: only impressions are counted.
        </Alert>
      )}
    </Stack>
  );
}
