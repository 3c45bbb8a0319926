import { createContext, memo, useContext, useMemo } from 'react';
import type { Dispatch } from 'react';
import { ActionIcon, Box, Button, Group, Paper, Select, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconBracketsContain, IconFolderPlus, IconPlus, IconTrash } from '@tabler/icons-react';
import { CONDITIONS, conditionsForAttribute, type MatchCondition, type PresetKey } from '@tailor/engine';
import type { AttributeRef, DraftGroup, DraftRule, RuleBuilderAction } from './rule-builder-state';
import { RuleValueInput } from './RuleValueInput';

export interface AttributeOption {
  ref: AttributeRef;
  label: string;
  kind: 'Preset' | 'Custom';
}

// Two contexts: rows read only the stable one, so numbering and validation changes re-render the
// group shells (which pass primitives down) while memoized rows skip.
interface BuilderContext {
  dispatch: Dispatch<RuleBuilderAction>;
  attributes: AttributeOption[];
  canEdit: boolean;
  maxDepth: number;
}

interface TreeState {
  numbers: Map<string, number>;
  groupNumbers: Map<string, number>;
  errors: Map<string, string>;
}

const Ctx = createContext<BuilderContext | null>(null);
const TreeCtx = createContext<TreeState | null>(null);

function useBuilder(): BuilderContext {
  const ctx = useContext(Ctx);
  if (ctx === null) throw new Error('RuleBuilder parts must be rendered inside <RuleBuilder>');
  return ctx;
}

function useTree(): TreeState {
  const ctx = useContext(TreeCtx);
  if (ctx === null) throw new Error('RuleBuilder parts must be rendered inside <RuleBuilder>');
  return ctx;
}

const refKey = (ref: AttributeRef) => `${ref.__type === 'PresetAttributeReference' ? 'preset' : 'custom'}:${ref.ref}`;

function refFromKey(key: string): AttributeRef {
  const [kind, ...rest] = key.split(':');
  const ref = rest.join(':');
  return kind === 'preset' ? { __type: 'PresetAttributeReference', ref: ref as PresetKey } : { __type: 'CustomAttributeReference', ref };
}

/** Custom attributes accept both number and date comparisons: "is between" must say which. */
function operatorLabel(condition: MatchCondition, attribute: AttributeRef): string {
  const meta = CONDITIONS[condition];
  const dated = meta.options === 'dateTime' || meta.options === 'dateTimeRange';
  return attribute.__type === 'CustomAttributeReference' && dated ? `${meta.label} (date)` : meta.label;
}

interface RowProps {
  rule: DraftRule;
  number: number;
  error: string | undefined;
  first: boolean;
  last: boolean;
}

// Rows are memoized on their node: the reducer keeps untouched nodes identical, so typing in one
// row re-renders that row and its ancestors' shells, not the other 49.
const RuleRow = memo(function RuleRow({ rule, number, error, first, last }: RowProps) {
  const { dispatch, attributes, canEdit } = useBuilder();
  const n = String(number);
  const attributeData = useMemo(() => {
    const groups: Array<{ group: string; items: Array<{ value: string; label: string }> }> = [
      { group: 'Preset', items: [] },
      { group: 'Custom', items: [] },
    ];
    for (const a of attributes) groups[a.kind === 'Preset' ? 0 : 1]?.items.push({ value: refKey(a.ref), label: a.label });
    if (rule.attribute !== null && !attributes.some((a) => refKey(a.ref) === refKey(rule.attribute as AttributeRef))) {
      groups[1]?.items.push({ value: refKey(rule.attribute), label: `Unknown attribute (${rule.attribute.ref})` });
    }
    return groups.filter((g) => g.items.length > 0);
  }, [attributes, rule.attribute]);
  const operators = useMemo(
    () =>
      rule.attribute === null
        ? []
        : conditionsForAttribute(rule.attribute).map((c) => ({ value: c, label: operatorLabel(c, rule.attribute as AttributeRef) })),
    [rule.attribute],
  );
  const condition = rule.condition;
  const hasOptions = condition !== null && CONDITIONS[condition].options !== 'none';

  return (
    <Box
      data-rule-id={rule.id}
      data-testid={`rule-${n}`}
      role="group"
      aria-label={`Rule ${n}`}
      p="xs"
      style={{
        borderRadius: 'var(--mantine-radius-sm)',
        border: `1px solid ${error ? 'var(--mantine-color-red-5)' : 'var(--mantine-color-gray-3)'}`,
        background: error ? 'var(--mantine-color-red-0)' : 'var(--mantine-color-white)',
      }}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Text size="xs" c="dimmed" w={18} pt={8} ta="right" aria-hidden>
          {n}
        </Text>
        <Select
          w={200}
          aria-label={`Attribute for rule ${n}`}
          placeholder="Select Attribute"
          searchable
          data={attributeData}
          value={rule.attribute === null ? null : refKey(rule.attribute)}
          onChange={(v) => dispatch({ type: 'setAttribute', ruleId: rule.id, attribute: v === null ? null : refFromKey(v) })}
          disabled={!canEdit}
          allowDeselect={false}
          nothingFoundMessage="No attribute found"
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          w={190}
          aria-label={`Operator for rule ${n}`}
          placeholder="Select Operator"
          data={operators}
          value={condition}
          onChange={(v) => dispatch({ type: 'setCondition', ruleId: rule.id, condition: v === null ? null : (v as typeof condition) })}
          disabled={!canEdit || rule.attribute === null}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Box style={{ flex: 1, minWidth: 180 }}>
          {rule.attribute !== null && condition !== null ? (
            <RuleValueInput
              attribute={rule.attribute}
              condition={condition}
              options={rule.options}
              ruleNumber={number}
              error={error !== undefined && hasOptions}
              canEdit={canEdit}
              onChange={(options) => dispatch({ type: 'setOptions', ruleId: rule.id, options })}
            />
          ) : (
            <Text size="sm" c="dimmed" py={6}>
              Select an attribute and an operator
            </Text>
          )}
        </Box>
        <Switch
          pt={8}
          size="sm"
          label="is not"
          aria-label={`Invert rule ${n} (is not)`}
          checked={rule.invert}
          disabled={!canEdit}
          onChange={(e) => dispatch({ type: 'setInvert', ruleId: rule.id, invert: e.currentTarget.checked })}
          styles={{ label: { whiteSpace: 'nowrap' } }}
        />
        {canEdit && (
          <Group gap={2} wrap="nowrap" pt={4}>
            <ActionIcon variant="subtle" color="gray" aria-label={`Move rule ${n} up`} disabled={first} onClick={() => dispatch({ type: 'move', id: rule.id, offset: -1 })}>
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" color="gray" aria-label={`Move rule ${n} down`} disabled={last} onClick={() => dispatch({ type: 'move', id: rule.id, offset: 1 })}>
              <IconArrowDown size={16} />
            </ActionIcon>
            <Tooltip label="Put in a new group" withArrow>
              <ActionIcon variant="subtle" color="gray" aria-label={`Put rule ${n} in a new group`} onClick={() => dispatch({ type: 'wrapInGroup', id: rule.id })}>
                <IconBracketsContain size={16} />
              </ActionIcon>
            </Tooltip>
            <ActionIcon variant="subtle" color="red" aria-label={`Delete rule ${n}`} onClick={() => dispatch({ type: 'remove', id: rule.id })}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        )}
      </Group>
      {error !== undefined && (
        <Text size="xs" c="red.7" mt={4} ml={26} role="alert" data-testid={`rule-${n}-error`}>
          {error}
        </Text>
      )}
    </Box>
  );
});

// Header and actions are memoized on primitives: a keystroke in a rule re-renders its ancestor
// groups' shells, not their selects and buttons.
const GroupHeader = memo(function GroupHeader({ groupId, combinationType, name, number, isRoot }: { groupId: string; combinationType: 'AND' | 'OR'; name: string; number: string; isRoot: boolean }) {
  const { dispatch, canEdit } = useBuilder();
  const group = { id: groupId, combinationType };
  const g = number;
  return (
    <Group justify="space-between" wrap="nowrap">
      <Group gap={6} wrap="nowrap">
        <Text size="sm">Match</Text>
        <Select
          size="xs"
          w={80}
          aria-label={`Match type for ${name}`}
          data-testid="audience-rule-combination-group"
          data={[
            { value: 'AND', label: 'All' },
            { value: 'OR', label: 'Any' },
          ]}
          value={group.combinationType}
          onChange={(v) => dispatch({ type: 'setCombination', groupId: group.id, combinationType: v === 'OR' ? 'OR' : 'AND' })}
          disabled={!canEdit}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Text size="sm">of the below conditions</Text>
      </Group>
      {!isRoot && canEdit && (
        <Tooltip label="Delete group">
          <ActionIcon variant="subtle" color="red" aria-label={`Delete group ${g}`} onClick={() => dispatch({ type: 'remove', id: group.id })}>
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
});

const GroupActions = memo(function GroupActions({ groupId, name, depth }: { groupId: string; name: string; depth: number }) {
  const { dispatch, canEdit, maxDepth } = useBuilder();
  const group = { id: groupId };
  if (!canEdit) return null;
  return (
    <Group gap="xs">
      <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => dispatch({ type: 'addRule', groupId: group.id })} aria-label={`Add rule to ${name}`}>
        Add Rule
      </Button>
      <Button
        size="xs"
        variant="subtle"
        leftSection={<IconFolderPlus size={14} />}
        onClick={() => dispatch({ type: 'addGroup', groupId: group.id })}
        disabled={depth >= maxDepth}
        title={depth >= maxDepth ? `Groups nest at most ${String(maxDepth)} levels deep` : undefined}
        aria-label={`Add group to ${name}`}
      >
        Add Group
      </Button>
    </Group>
  );
});

const GroupBox = memo(function GroupBox({ group, depth, isRoot }: { group: DraftGroup; depth: number; isRoot: boolean }) {
  const { numbers, groupNumbers, errors } = useTree();
  const g = String(groupNumbers.get(group.id) ?? 1);
  const name = isRoot ? 'top-level group' : `group ${g}`;
  const error = errors.get(group.id);

  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      role="group"
      aria-label={isRoot ? 'Rules' : `Group ${g}`}
      data-testid={isRoot ? 'rule-group-root' : `rule-group-${g}`}
      bg={depth % 2 === 0 ? 'gray.0' : 'white'}
      style={error ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Stack gap="xs">
        <GroupHeader groupId={group.id} combinationType={group.combinationType} name={name} number={g} isRoot={isRoot} />
        {error !== undefined && (
          <Text size="xs" c="red.7" role="alert">
            {error}
          </Text>
        )}
        {group.children.length === 0 && (
          <Text size="sm" c="dimmed">
            No conditions yet.
          </Text>
        )}
        {group.children.map((child, i) =>
          child.kind === 'rule' ? (
            <RuleRow
              key={child.id}
              rule={child}
              number={numbers.get(child.id) ?? 0}
              error={errors.get(child.id)}
              first={i === 0}
              last={i === group.children.length - 1}
            />
          ) : (
            <GroupBox key={child.id} group={child} depth={depth + 1} isRoot={false} />
          ),
        )}
        <GroupActions groupId={group.id} name={name} depth={depth} />
      </Stack>
    </Paper>
  );
});

export interface RuleBuilderProps {
  root: DraftGroup;
  dispatch: Dispatch<RuleBuilderAction>;
  attributes: AttributeOption[];
  canEdit: boolean;
  maxDepth: number;
  numbers: Map<string, number>;
  groupNumbers: Map<string, number>;
  /** Client id → the first problem found there. */
  errors: Map<string, string>;
}

/** The editable tree: groups with a Match All/Any header, rule rows, add/remove/move controls. */
export function RuleBuilder({ root, dispatch, attributes, canEdit, maxDepth, numbers, groupNumbers, errors }: RuleBuilderProps) {
  const ctx = useMemo(() => ({ dispatch, attributes, canEdit, maxDepth }), [dispatch, attributes, canEdit, maxDepth]);
  const tree = useMemo(() => ({ numbers, groupNumbers, errors }), [numbers, groupNumbers, errors]);
  return (
    <Ctx.Provider value={ctx}>
      <TreeCtx.Provider value={tree}>
        <GroupBox group={root} depth={1} isRoot />
      </TreeCtx.Provider>
    </Ctx.Provider>
  );
}
