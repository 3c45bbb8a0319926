import { useState } from 'react';
import { Paper, Stack, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsTimeSeries } from '@tailor/contract';
import { formatTimestamp } from '../../components/time';
import { chartRows, formatPercent, markerStacks, variantColor, type Marker } from './analytics-view';

interface MarkerLabelProps {
  viewBox?: { x?: number; y?: number };
  marker: Marker;
  stack: number;
  onActivate: (marker: Marker | null, x: number) => void;
}

/** The numbered flag on top of an audience-edit line; hover or focus shows its details. */
function MarkerLabel({ viewBox, marker, stack, onActivate }: MarkerLabelProps) {
  const x = viewBox?.x ?? 0;
  const y = (viewBox?.y ?? 0) + 2 + stack * 20;
  const label = `Audience edit ${String(marker.number)}: ${marker.audienceName} ${marker.action} by ${marker.actor}, ${formatTimestamp(marker.at)}. ${marker.summary}`;
  return (
    <g
      tabIndex={0}
      role="img"
      aria-label={label}
      data-testid="annotation-marker"
      style={{ cursor: 'pointer', outline: 'none' }}
      onMouseEnter={() => onActivate(marker, x)}
      onMouseLeave={() => onActivate(null, x)}
      onFocus={() => onActivate(marker, x)}
      onBlur={() => onActivate(null, x)}
    >
      <title>{label}</title>
      <circle cx={x} cy={y + 9} r={9} fill="var(--mantine-color-orange-6)" stroke="white" strokeWidth={1.5} />
      <text x={x} y={y + 13} textAnchor="middle" fontSize={11} fontWeight={700} fill="white">
        {marker.number}
      </text>
    </g>
  );
}

const TOOLTIP_WIDTH = 300;

const tickFormat = (interval: 'day' | 'hour') => (t: number) => dayjs(t).format(interval === 'hour' ? 'MMM D HH:mm' : 'MMM D');

function TimeChart({
  title,
  series,
  rows,
  keyPrefix,
  markerList,
  percent,
}: {
  title: string;
  series: AnalyticsTimeSeries;
  rows: ReturnType<typeof chartRows>;
  keyPrefix: 'imp' | 'cr';
  markerList: Marker[];
  percent: boolean;
}) {
  const [active, setActive] = useState<{ marker: Marker; x: number } | null>(null);
  const format = tickFormat(series.interval);
  // The whole requested range, so one bucket of data does not squeeze the markers to an edge.
  const times = [Date.parse(series.from), Date.parse(series.to), ...rows.map((r) => r.t), ...markerList.map((m) => m.t)];
  const domain: [number, number] = [Math.min(...times), Math.max(...times)];
  const stacks = markerStacks(markerList, domain[0], domain[1]);
  return (
    <Paper withBorder p="md" pos="relative">
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      <div style={{ width: '100%', height: 280 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 24, right: 24, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-gray-3)" />
            <XAxis dataKey="t" type="number" scale="time" domain={domain} tickFormatter={format} fontSize={12} />
            <YAxis fontSize={12} allowDecimals={!percent ? false : true} tickFormatter={(v: number) => (percent ? formatPercent(v, 0) : String(v))} width={56} />
            <Tooltip
              labelFormatter={(t) => (typeof t === 'number' ? format(t) : String(t))}
              formatter={(value, name) => [percent && typeof value === 'number' ? formatPercent(value, 2) : String(value), String(name)]}
            />
            <Legend />
            {series.variants.map((v, i) => (
              <Line
                key={v.shortUid}
                type="monotone"
                dataKey={`${keyPrefix}:${v.shortUid}`}
                name={v.name}
                stroke={variantColor(i)}
                strokeWidth={2}
                dot={rows.length <= 31}
                isAnimationActive={false}
              />
            ))}
            {markerList.map((m, i) => (
              <ReferenceLine
                key={`${m.audienceUid}-${String(m.revision)}`}
                x={m.t}
                stroke="var(--mantine-color-orange-6)"
                strokeDasharray="4 3"
                ifOverflow="extendDomain"
                label={<MarkerLabel marker={m} stack={stacks[i] ?? 0} onActivate={(marker, x) => setActive(marker === null ? null : { marker, x })} />}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {active !== null && (
        <Paper
          withBorder
          shadow="md"
          p="xs"
          w={TOOLTIP_WIDTH}
          role="tooltip"
          // Beside the marker, on whichever side has room.
          style={{ position: 'absolute', top: 56, left: active.x > TOOLTIP_WIDTH + 40 ? active.x - TOOLTIP_WIDTH - 12 : active.x + 28, zIndex: 3, pointerEvents: 'none' }}
        >
          <Text size="xs" c="dimmed">
            {formatTimestamp(active.marker.at)} · {active.marker.actor}
          </Text>
          <Text size="sm" fw={600}>
            Audience “{active.marker.audienceName}” {active.marker.action}
          </Text>
          <Text size="xs">{active.marker.summary}</Text>
        </Paper>
      )}
    </Paper>
  );
}

export function AnalyticsCharts({ series, event, markerList }: { series: AnalyticsTimeSeries; event: string | undefined; markerList: Marker[] }) {
  const rows = chartRows(series, event);
  return (
    <Stack gap="md">
      <TimeChart title="Impressions over time" series={series} rows={rows} keyPrefix="imp" markerList={markerList} percent={false} />
      {event !== undefined && <TimeChart title="Conversion rate over time (primary metric, cumulative)" series={series} rows={rows} keyPrefix="cr" markerList={markerList} percent />}
    </Stack>
  );
}
