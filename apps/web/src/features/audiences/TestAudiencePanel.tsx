import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Box, Button, CloseButton, Divider, Group, Paper, ScrollArea, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { IconCheck, IconX } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { explainDefinition, type AttributeCatalog, type Explanation, type RuleCombination, type VisitorContext } from '@tailor/engine';
import type { CustomAttribute } from '@tailor/contract';
import { DEVICE_TYPES, OPERATING_SYSTEMS, countryChoices } from '../../components/rule-builder/rule-values';

type PresetField = 'COUNTRY' | 'REGION' | 'CITY' | 'DEVICE_TYPE' | 'OPERATING_SYSTEM' | 'REFERRER' | 'PAGE_URL';

interface Props {
  /** The valid draft, or null while the rules have problems. */
  definition: RuleCombination | null;
  catalog: AttributeCatalog;
  customAttributes: CustomAttribute[];
  /** Client ids keyed by path, to name rules as the builder numbers them. */
  ruleLabel: (path: string) => string;
  onClose: () => void;
}

function usedCustomUids(definition: RuleCombination | null): Set<string> {
  const uids = new Set<string>();
  const walk = (g: RuleCombination) => {
    for (const r of g.rules) {
      if (r.__type === 'RuleCombination') walk(r);
      else if (r.attribute.__type === 'CustomAttributeReference') uids.add(r.attribute.ref);
    }
  };
  if (definition) walk(definition);
  return uids;
}

function ExplanationNode({ node, ruleLabel }: { node: Explanation; ruleLabel: (path: string) => string }) {
  const icon = node.matched ? <IconCheck size={14} color="var(--mantine-color-green-7)" /> : <IconX size={14} color="var(--mantine-color-red-7)" />;
  if (node.kind === 'rule') {
    return (
      <Group gap={6} wrap="nowrap" align="flex-start" data-testid="explain-rule" data-matched={node.matched}>
        <Box pt={3}>{icon}</Box>
        <Text size="xs">
          <Text span fw={600} size="xs">
            {ruleLabel(node.path)}:
          </Text>{' '}
          {node.reason}
        </Text>
      </Group>
    );
  }
  return (
    <Stack gap={4}>
      <Group gap={6} wrap="nowrap" align="flex-start" data-testid="explain-group" data-matched={node.matched}>
        <Box pt={3}>{icon}</Box>
        <Text size="xs">
          <Text span fw={600} size="xs">
            {node.path === '' ? 'All rules' : ruleLabel(node.path)}:
          </Text>{' '}
          {node.reason}
        </Text>
      </Group>
      <Stack gap={4} pl="md" style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
        {node.children?.map((c) => <ExplanationNode key={c.path} node={c} ruleLabel={ruleLabel} />)}
      </Stack>
    </Stack>
  );
}

/** "Test this audience": sample visitor in, live match result and per-rule explanation out. */
export function TestAudiencePanel({ definition, catalog, customAttributes, ruleLabel, onClose }: Props) {
  // A Map: attribute keys are the user's (`constructor` is a valid one) and must not hit Object's members.
  const [values, setValues] = useState<ReadonlyMap<string, string>>(() => new Map());
  const [presets, setPresets] = useState<Partial<Record<PresetField, string>>>({});
  const [time, setTime] = useState<string | null>(null);
  // "Now" is a clock the panel reads, ticking so time rules stay live while the panel is open.
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setClock(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const used = useMemo(() => usedCustomUids(definition), [definition]);
  const shown = customAttributes.filter((a) => used.has(a.uid));

  const explanation = useMemo(() => {
    if (definition === null) return null;
    const attributes: Record<string, string> = {};
    for (const a of customAttributes) {
      const v = values.get(a.key);
      if (v !== undefined && v !== '') attributes[a.key] = v;
    }
    const visitorPresets: Record<string, string> = {};
    for (const [k, v] of Object.entries(presets)) if (v) visitorPresets[k] = v;
    const visitor: VisitorContext = {
      attributes,
      presets: visitorPresets,
      now: time === null ? clock : dayjs(time).valueOf(),
    };
    try {
      return explainDefinition(definition, catalog, visitor);
    } catch {
      return null;
    }
  }, [definition, catalog, customAttributes, values, presets, time, clock]);

  const setPreset = (k: PresetField, v: string | null) => setPresets((p) => ({ ...p, [k]: v ?? '' }));

  return (
    <Paper withBorder p="md" component="aside" aria-labelledby="test-audience-title" style={{ position: 'sticky', top: 16 }}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="test-audience-title">
          Test this audience
        </Title>
        <CloseButton aria-label="Close test panel" onClick={onClose} />
      </Group>
      <ScrollArea.Autosize mah="calc(100vh - 140px)" type="auto" offsetScrollbars>
        <Stack gap="xs">
          {explanation === null ? (
            <Alert color="gray" p="xs">
              <Text size="sm">{definition === null ? 'Fix the highlighted rules to test the audience.' : 'Add a rule to test the audience.'}</Text>
            </Alert>
          ) : (
            <Badge
              size="lg"
              fullWidth
              color={explanation.matched ? 'green' : 'red'}
              variant="light"
              data-testid="test-result"
              leftSection={explanation.matched ? <IconCheck size={16} /> : <IconX size={16} />}
            >
              {explanation.matched ? 'Visitor matches' : 'Visitor does not match'}
            </Badge>
          )}
          {explanation && (
            <Stack gap={4} aria-label="Why" data-testid="test-explanation">
              <ExplanationNode node={explanation} ruleLabel={ruleLabel} />
            </Stack>
          )}
          <Divider label="Sample visitor" labelPosition="left" mt="xs" />
          {shown.length === 0 && (
            <Text size="xs" c="dimmed">
              The rules use no custom attributes.
            </Text>
          )}
          {shown.map((a) => (
            <TextInput
              key={a.uid}
              size="xs"
              label={`${a.name} (${a.key})`}
              aria-label={`Sample value for ${a.name}`}
              placeholder="Value, e.g. 42, true or text"
              value={values.get(a.key) ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setValues((s) => new Map(s).set(a.key, v));
              }}
            />
          ))}
          <Select size="xs" label="Country" searchable clearable data={countryChoices()} value={presets.COUNTRY || null} onChange={(v) => setPreset('COUNTRY', v)} comboboxProps={{ withinPortal: true }} />
          <Group grow gap="xs">
            <TextInput size="xs" label="Region" value={presets.REGION ?? ''} onChange={(e) => setPreset('REGION', e.currentTarget.value)} />
            <TextInput size="xs" label="City" value={presets.CITY ?? ''} onChange={(e) => setPreset('CITY', e.currentTarget.value)} />
          </Group>
          <Group grow gap="xs">
            <Select size="xs" label="Device type" clearable data={DEVICE_TYPES} value={presets.DEVICE_TYPE || null} onChange={(v) => setPreset('DEVICE_TYPE', v)} comboboxProps={{ withinPortal: true }} />
            <Select size="xs" label="Operating system" clearable data={OPERATING_SYSTEMS} value={presets.OPERATING_SYSTEM || null} onChange={(v) => setPreset('OPERATING_SYSTEM', v)} comboboxProps={{ withinPortal: true }} />
          </Group>
          <TextInput size="xs" label="Referrer" placeholder="https://www.google.com/" value={presets.REFERRER ?? ''} onChange={(e) => setPreset('REFERRER', e.currentTarget.value)} />
          <TextInput size="xs" label="Page URL" placeholder="https://example.com/?utm_source=ads" value={presets.PAGE_URL ?? ''} onChange={(e) => setPreset('PAGE_URL', e.currentTarget.value)} />
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <DateTimePicker
              size="xs"
              style={{ flex: 1 }}
              label="Time (your time zone)"
              placeholder="Now"
              clearable
              valueFormat="MMM D, YYYY HH:mm"
              value={time}
              onChange={setTime}
              popoverProps={{ withinPortal: true }}
            />
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                setTime(null);
                setClock(Date.now());
              }}
            >
              Now
            </Button>
          </Group>
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}
