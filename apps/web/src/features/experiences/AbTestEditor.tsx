import { useState, type Dispatch } from 'react';
import { ActionIcon, Badge, Button, Group, NumberInput, Paper, Radio, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import type { Audience, Event } from '@tailor/contract';
import { AudienceBadges } from './AudienceBadges';
import { AudiencePickerModal } from './AudiencePickerModal';
import { combinationOptions } from './SegmentedVariantsEditor';
import { SortableList } from './SortableList';
import { MAX_METRICS, MAX_VARIANTS, trafficTotal, type DraftAction, type DraftErrors, type VersionDraft } from './version-draft';

function Section({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5">
        {title}
      </Title>
      {description !== undefined && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Paper>
  );
}

export function AbTestEditor({
  draft,
  dispatch,
  errors,
  readOnly,
  audiences,
  events,
}: {
  draft: VersionDraft;
  dispatch: Dispatch<DraftAction>;
  errors: DraftErrors;
  readOnly: boolean;
  audiences: Audience[];
  events: Event[];
}) {
  const [pickingTarget, setPickingTarget] = useState(false);
  const names = new Map(audiences.map((a) => [a.uid, a.name]));
  const total = trafficTotal(draft.variants.map((v) => v.trafficDistribution));
  const custom = draft.split === 'CUSTOM';
  const eventOptions = events.map((e) => ({ value: e.uid, label: e.key }));
  const lockedTraffic = readOnly ? 'Traffic distribution is locked while the test is running or paused. Create a draft to change it.' : undefined;

  return (
    <Stack gap="md">
      <Section title="Variants" description="The first variant is the control: lift is measured against it.">
        <Radio.Group
          label="Variant Distribution"
          value={draft.split}
          onChange={(value) => dispatch({ type: 'setSplit', split: value === 'CUSTOM' ? 'CUSTOM' : 'EQUAL' })}
          description={lockedTraffic}
          mb="sm"
        >
          <Group mt={6}>
            <Radio value="EQUAL" label="Equally split" disabled={readOnly} />
            <Radio value="CUSTOM" label="Custom" disabled={readOnly} />
          </Group>
        </Radio.Group>
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" aria-label="Variants">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} />
                <Table.Th w={160} style={{ whiteSpace: 'nowrap' }}>
                  Short UID{' '}
                  <Text span size="xs" c="dimmed">
                    (Read only)
                  </Text>
                </Table.Th>
                <Table.Th>Variant name</Table.Th>
                <Table.Th w={160}>Traffic (%)</Table.Th>
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {draft.variants.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" size="sm" py="md">
                      No variants yet. An A/B test compares at least two.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              <SortableList
                as="tr"
                items={draft.variants}
                idOf={(v) => v.key}
                labelOf={(v) => (v.name === '' ? 'unnamed variant' : v.name)}
                disabled={readOnly}
                onMove={(from, to) => dispatch({ type: 'moveVariant', from, to })}
                renderItem={(v, i, { handle }) => (
                  <>
                    <Table.Td>{readOnly ? null : handle}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" ff={v.shortUid === null ? undefined : 'monospace'} c={v.shortUid === null ? 'dimmed' : undefined} fs={v.shortUid === null ? 'italic' : undefined}>
                          {v.shortUid ?? 'Unsaved variant'}
                        </Text>
                        {i === 0 && (
                          <Badge size="xs" variant="outline" color="gray">
                            Control
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Name of variant ${String(i + 1)}`}
                        placeholder="Please enter a variant name"
                        value={v.name}
                        readOnly={readOnly}
                        variant={readOnly ? 'filled' : 'default'}
                        onChange={(e) => dispatch({ type: 'renameVariant', key: v.key, name: e.currentTarget.value })}
                        error={errors[`variants[${String(i)}].name`]}
                        maxLength={200}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`Traffic of variant ${String(i + 1)} (%)`}
                        value={v.trafficDistribution}
                        min={0}
                        max={100}
                        decimalScale={2}
                        suffix="%"
                        readOnly={readOnly || !custom}
                        variant={readOnly || !custom ? 'filled' : 'default'}
                        onChange={(value) => dispatch({ type: 'setTraffic', key: v.key, value: typeof value === 'number' ? value : Number(value) || 0 })}
                      />
                    </Table.Td>
                    <Table.Td>
                      {!readOnly && (
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete variant ${String(i + 1)}`} onClick={() => dispatch({ type: 'removeVariant', key: v.key })}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </>
                )}
              />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="space-between" mt="sm">
          {!readOnly ? (
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => dispatch({ type: 'addVariant' })} disabled={draft.variants.length >= MAX_VARIANTS}>
              Add Variant
            </Button>
          ) : (
            <span />
          )}
          <Text size="sm" fw={500} c={errors.trafficDistribution === undefined ? undefined : 'red'} data-testid="traffic-total">
            Total: {total}%
          </Text>
        </Group>
        {(errors.trafficDistribution ?? errors.variants) !== undefined && (
          <Text size="sm" c="red" mt="xs" role="alert">
            {errors.trafficDistribution ?? errors.variants}
          </Text>
        )}
      </Section>

      <Section title="Target Group" description="Who takes part in the test. Visitors outside the target group see the base entry.">
        <Radio.Group value={draft.targeting.mode} onChange={(value) => dispatch({ type: 'setTargetMode', mode: value === 'SELECTIVE' ? 'SELECTIVE' : 'EVERYONE' })} aria-label="Target Group">
          <Group>
            <Radio value="EVERYONE" label="Everyone" disabled={readOnly} />
            <Radio value="SELECTIVE" label="Selective" disabled={readOnly} />
          </Group>
        </Radio.Group>
        {draft.targeting.mode === 'SELECTIVE' && (
          <Group mt="sm" align="flex-start" wrap="nowrap">
            <Select
              w={150}
              aria-label="Target group condition"
              data={combinationOptions}
              value={draft.targeting.combination}
              readOnly={readOnly}
              variant={readOnly ? 'filled' : 'default'}
              allowDeselect={false}
              onChange={(value) => value !== null && dispatch({ type: 'setTargetCombination', combination: value === 'AND' ? 'AND' : 'OR' })}
            />
            <div style={{ flex: 1, paddingTop: 6 }}>
              <AudienceBadges
                uids={draft.targeting.audiences}
                names={names}
                readOnly={readOnly}
                onEdit={() => setPickingTarget(true)}
                error={errors['targeting.audiences']}
                label="Select audiences for the target group"
              />
            </div>
          </Group>
        )}
      </Section>

      <Section title="Metrics" description={`Events that count as conversions. The first is the Primary metric, which decides the winner; up to ${String(MAX_METRICS)}.`}>
        <Stack gap="xs">
          {draft.metrics.length === 0 && (
            <Text size="sm" c="dimmed">
              No metrics yet: the test will count impressions only.
            </Text>
          )}
          {draft.metrics.map((event, i) => (
            <Group key={`${event}-${String(i)}`} gap="sm" wrap="nowrap">
              <Badge w={104} style={{ flexShrink: 0 }} variant={i === 0 ? 'filled' : 'light'} color={i === 0 ? 'violet' : 'gray'}>
                {i === 0 ? 'Primary' : 'Secondary'}
              </Badge>
              <Select
                w={320}
                aria-label={`Metric ${String(i + 1)} event`}
                data={eventOptions.filter((o) => o.value === event || !draft.metrics.includes(o.value))}
                value={event}
                readOnly={readOnly}
                variant={readOnly ? 'filled' : 'default'}
                searchable
                allowDeselect={false}
                placeholder={eventOptions.some((o) => o.value === event) ? undefined : 'Deleted event'}
                onChange={(value) => value !== null && dispatch({ type: 'setMetrics', metrics: draft.metrics.map((m, j) => (j === i ? value : m)) })}
              />
              {!readOnly && i > 0 && (
                <ActionIcon variant="subtle" aria-label={`Make metric ${String(i + 1)} primary`} onClick={() => dispatch({ type: 'setMetrics', metrics: [event, ...draft.metrics.filter((_, j) => j !== i)] })}>
                  <IconArrowUp size={16} />
                </ActionIcon>
              )}
              {!readOnly && (
                <ActionIcon variant="subtle" color="red" aria-label={`Remove metric ${String(i + 1)}`} onClick={() => dispatch({ type: 'setMetrics', metrics: draft.metrics.filter((_, j) => j !== i) })}>
                  <IconTrash size={16} />
                </ActionIcon>
              )}
            </Group>
          ))}
          {!readOnly && (
            <AddMetric events={eventOptions.filter((o) => !draft.metrics.includes(o.value))} disabled={draft.metrics.length >= MAX_METRICS} onAdd={(uid) => dispatch({ type: 'setMetrics', metrics: [...draft.metrics, uid] })} noEvents={events.length === 0} />
          )}
        </Stack>
      </Section>

      {pickingTarget && (
        <AudiencePickerModal
          audiences={audiences}
          selected={draft.targeting.audiences}
          onApply={(uids) => dispatch({ type: 'setTargetAudiences', audiences: uids })}
          onClose={() => setPickingTarget(false)}
        />
      )}
    </Stack>
  );
}

function AddMetric({ events, disabled, onAdd, noEvents }: { events: { value: string; label: string }[]; disabled: boolean; onAdd: (uid: string) => void; noEvents: boolean }) {
  const [adding, setAdding] = useState(false);
  if (noEvents) {
    return (
      <Text size="sm" c="dimmed">
        This project has no events yet. Create one in the Events tab to measure conversions.
      </Text>
    );
  }
  if (!adding) {
    return (
      <Button w="fit-content" variant="light" leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} disabled={disabled || events.length === 0}>
        Add Event
      </Button>
    );
  }
  return (
    <Select
      w={320}
      aria-label="Event to add"
      placeholder="Choose an event"
      data={events}
      searchable
      defaultDropdownOpened
      onChange={(value) => {
        if (value !== null) onAdd(value);
        setAdding(false);
      }}
      onDropdownClose={() => setAdding(false)}
    />
  );
}
