import '@mantine/dates/styles.css';
import { ActionIcon, Group, Select, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { CONDITIONS, type MatchCondition } from '@tailor/engine';
import type { AttributeRef, DraftOptions } from './rule-builder-state';
import { presetChoices, timeZones } from './rule-values';

interface Props {
  attribute: AttributeRef;
  condition: MatchCondition;
  options: DraftOptions | undefined;
  ruleNumber: number;
  error: boolean;
  canEdit: boolean;
  onChange: (options: DraftOptions) => void;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

const TIME_OF_DAY = /^\d{1,2}:\d{2}(:\d{2})?$/;

// Mantine's picker speaks "YYYY-MM-DD HH:mm:ss"; the engine reads ISO local date-times in the rule's time zone.
function toPicker(v: string): string | null {
  if (v === '') return null;
  return v.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/, '');
}
function fromPicker(v: string | null): string {
  return v === null ? '' : v.replace(' ', 'T');
}

/** The value control that fits the operator: none, text, number, list, key/value, date-time with time zone. */
export function RuleValueInput({ attribute, condition, options, ruleNumber, error, canEdit, onChange }: Props) {
  const meta = CONDITIONS[condition];
  const label = `Value for rule ${String(ruleNumber)}`;
  const o: DraftOptions = options ?? { __type: meta.optionsType ?? '' };
  const set = (patch: Record<string, unknown>) => onChange({ ...o, ...patch });
  const common = { error: error ? true : undefined, disabled: !canEdit, size: 'sm' } as const;
  const choices = attribute.__type === 'PresetAttributeReference' ? presetChoices(attribute.ref) : undefined;
  // A compact toggle inside the input keeps every row's value column the same width.
  const caseToggle = (
    <Tooltip label={o.caseSensitive === true ? 'Case-sensitive' : 'Ignores case'} withArrow>
      <ActionIcon
        size="sm"
        variant={o.caseSensitive === true ? 'filled' : 'subtle'}
        color={o.caseSensitive === true ? 'violet' : 'gray'}
        aria-label={`Case-sensitive for rule ${String(ruleNumber)}`}
        aria-pressed={o.caseSensitive === true}
        disabled={!canEdit}
        onClick={() => set({ caseSensitive: o.caseSensitive !== true })}
      >
        <Text size="xs" fw={700} c="inherit">
          Aa
        </Text>
      </ActionIcon>
    </Tooltip>
  );

  switch (meta.options) {
    case 'none':
      return (
        <Text size="sm" c="dimmed" py={6}>
          No value needed
        </Text>
      );
    case 'string':
      if (choices && condition === 'STRING_EQUALS') {
        return (
          <Select
            {...common}
            aria-label={label}
            placeholder="Select Value"
            searchable
            data={choices}
            value={text(o.value) || null}
            onChange={(v) => set({ value: v ?? '' })}
            nothingFoundMessage="No match"
            comboboxProps={{ withinPortal: true }}
          />
        );
      }
      return (
        <TextInput {...common} aria-label={label} placeholder="Enter a value" value={text(o.value)} onChange={(e) => set({ value: e.currentTarget.value })} rightSection={caseToggle} rightSectionWidth={36} />
      );
    case 'semver':
      return <TextInput {...common} aria-label={label} placeholder="e.g. 2.1.0" value={text(o.value)} onChange={(e) => set({ value: e.currentTarget.value })} />;
    case 'regex':
      return (
        <TextInput
          {...common}
          aria-label={label}
          placeholder="Pattern, e.g. ^/blog/"
          ff="monospace"
          value={text(o.pattern)}
          onChange={(e) => set({ pattern: e.currentTarget.value })}
          rightSection={caseToggle}
          rightSectionWidth={36}
        />
      );
    case 'stringList':
      return (
        <TagsInput
          {...common}
          aria-label={label}
          placeholder="Type a value and press Enter"
          data={choices ?? []}
          value={Array.isArray(o.values) ? (o.values as string[]) : []}
          onChange={(values) => set({ values })}
          clearable
        />
      );
    case 'number':
      return <TextInput {...common} aria-label={label} inputMode="decimal" placeholder="Enter a number" value={text(o.value)} onChange={(e) => set({ value: e.currentTarget.value })} />;
    case 'numberRange':
      return (
        <Group gap="xs" wrap="nowrap" align="center">
          <TextInput {...common} style={{ flex: 1 }} aria-label={label} inputMode="decimal" placeholder="From" value={text(o.min)} onChange={(e) => set({ min: e.currentTarget.value })} />
          <Text size="sm">and</Text>
          <TextInput
            {...common}
            style={{ flex: 1 }}
            aria-label={`Upper value for rule ${String(ruleNumber)}`}
            inputMode="decimal"
            placeholder="To"
            value={text(o.max)}
            onChange={(e) => set({ max: e.currentTarget.value })}
          />
        </Group>
      );
    case 'json':
      return (
        <Group gap="xs" wrap="nowrap" align="center">
          <TextInput {...common} style={{ flex: 1 }} aria-label={label} placeholder="Parameter, e.g. utm_source" value={text(o.key)} onChange={(e) => set({ key: e.currentTarget.value })} />
          <Text size="sm">=</Text>
          <TextInput
            {...common}
            style={{ flex: 1 }}
            aria-label={`Parameter value for rule ${String(ruleNumber)}`}
            placeholder="Any value"
            value={text(o.value)}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const next: DraftOptions = { ...o };
              if (v === '') delete next.value;
              else next.value = v;
              onChange(next);
            }}
          />
        </Group>
      );
    case 'dateTime':
    case 'dateTimeRange': {
      const zone = (
        <Select
          {...common}
          w={170}
          aria-label={`Time zone for rule ${String(ruleNumber)}`}
          searchable
          data={timeZones()}
          value={text(o.timezone) || 'UTC'}
          onChange={(v) => set({ timezone: v ?? 'UTC' })}
          comboboxProps={{ withinPortal: true }}
        />
      );
      const picker = (field: 'value' | 'from' | 'to', ariaLabel: string, placeholder: string) => {
        const raw = text(o[field]);
        // Times of day ("09:00") recur daily; a picker cannot show them, so they stay text.
        return TIME_OF_DAY.test(raw) ? (
          <TextInput {...common} style={{ flex: 1 }} aria-label={ariaLabel} value={raw} onChange={(e) => set({ [field]: e.currentTarget.value })} />
        ) : (
          <DateTimePicker
            {...common}
            style={{ flex: 1 }}
            aria-label={ariaLabel}
            placeholder={placeholder}
            valueFormat="MMM D, YYYY HH:mm"
            clearable
            value={toPicker(raw)}
            onChange={(v) => set({ [field]: fromPicker(v) })}
            popoverProps={{ withinPortal: true }}
          />
        );
      };
      return meta.options === 'dateTime' ? (
        <Group gap="xs" wrap="nowrap">
          {picker('value', label, 'Pick date and time')}
          {zone}
        </Group>
      ) : (
        <Group gap="xs" wrap="nowrap">
          {picker('from', label, 'From')}
          {picker('to', `Upper value for rule ${String(ruleNumber)}`, 'To')}
          {zone}
        </Group>
      );
    }
    default:
      return null;
  }
}
