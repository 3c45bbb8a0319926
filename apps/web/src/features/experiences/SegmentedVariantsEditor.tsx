import { useState, type Dispatch } from 'react';
import { ActionIcon, Button, Select, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { Audience } from '@tailor/contract';
import { AudienceBadges } from './AudienceBadges';
import { AudiencePickerModal } from './AudiencePickerModal';
import { SortableList } from './SortableList';
import { MAX_VARIANTS, type DraftAction, type DraftErrors, type VersionDraft } from './version-draft';

export const combinationOptions = [
  { value: 'AND', label: 'Match All' },
  { value: 'OR', label: 'Match Any' },
];

export function SegmentedVariantsEditor({
  draft,
  dispatch,
  errors,
  readOnly,
  audiences,
}: {
  draft: VersionDraft;
  dispatch: Dispatch<DraftAction>;
  errors: DraftErrors;
  readOnly: boolean;
  audiences: Audience[];
}) {
  const [picking, setPicking] = useState<string | null>(null);
  const names = new Map(audiences.map((a) => [a.uid, a.name]));
  const pickingVariant = draft.variants.find((v) => v.key === picking);

  return (
    <div>
      <Text size="sm" c="dimmed" mb="sm">
        The first variant that matches a visitor&apos;s audiences will be chosen for that visitor. You can reorder the variants to change their priority.
      </Text>
      <Table.ScrollContainer minWidth={760}>
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
              <Table.Th w={240}>Variant name</Table.Th>
              <Table.Th w={150}>Condition</Table.Th>
              <Table.Th>Audiences</Table.Th>
              <Table.Th w={50} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.variants.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" ta="center" size="sm" py="md">
                    No variants yet. Add one, name it and choose who sees it.
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
                    <Text size="sm" ff={v.shortUid === null ? undefined : 'monospace'} c={v.shortUid === null ? 'dimmed' : undefined} fs={v.shortUid === null ? 'italic' : undefined}>
                      {v.shortUid ?? 'Unsaved variant'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="sm"
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
                    <Select
                      size="sm"
                      aria-label={`Condition of variant ${String(i + 1)}`}
                      data={combinationOptions}
                      value={v.combination}
                      readOnly={readOnly}
                      variant={readOnly ? 'filled' : 'default'}
                      allowDeselect={false}
                      onChange={(value) => value !== null && dispatch({ type: 'setCombination', key: v.key, combination: value === 'AND' ? 'AND' : 'OR' })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <AudienceBadges
                      uids={v.audiences}
                      names={names}
                      readOnly={readOnly}
                      onEdit={() => setPicking(v.key)}
                      error={errors[`variants[${String(i)}].audiences`]}
                      label={`Select audiences for variant ${String(i + 1)}`}
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
      {errors.variants !== undefined && (
        <Text size="sm" c="red" mt="xs">
          {errors.variants}
        </Text>
      )}
      {!readOnly && (
        <Button mt="sm" variant="light" leftSection={<IconPlus size={16} />} onClick={() => dispatch({ type: 'addVariant' })} disabled={draft.variants.length >= MAX_VARIANTS}>
          Add Variant
        </Button>
      )}
      {pickingVariant !== undefined && (
        <AudiencePickerModal
          audiences={audiences}
          selected={pickingVariant.audiences}
          onApply={(uids) => dispatch({ type: 'setAudiences', key: pickingVariant.key, audiences: uids })}
          onClose={() => setPicking(null)}
        />
      )}
    </div>
  );
}
