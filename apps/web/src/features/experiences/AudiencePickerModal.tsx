import { useMemo, useState } from 'react';
import { Button, Checkbox, Group, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { Audience } from '@tailor/contract';
import { MAX_AUDIENCES_PER_VARIANT } from './version-draft';

/** "Select Audience(s)": a checklist; nothing changes until "Apply Selected Audiences". */
export function AudiencePickerModal({
  audiences,
  selected,
  onApply,
  onClose,
  title = 'Select Audience(s)',
}: {
  audiences: Audience[];
  selected: string[];
  onApply: (uids: string[]) => void;
  onClose: () => void;
  title?: string;
}) {
  const [chosen, setChosen] = useState<string[]>(selected);
  const [query, setQuery] = useState('');
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    return audiences.filter((a) => q === '' || `${a.name}\n${a.description}`.toLowerCase().includes(q));
  }, [audiences, query]);
  const toggle = (uid: string, on: boolean) => setChosen((c) => (on ? [...c, uid] : c.filter((x) => x !== uid)));
  const full = chosen.length >= MAX_AUDIENCES_PER_VARIANT;

  return (
    <Modal opened onClose={onClose} title={title} size="lg" centered>
      <Stack>
        <TextInput placeholder="Search audiences" aria-label="Search audiences" leftSection={<IconSearch size={16} />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-autofocus />
        <ScrollArea.Autosize mah={360} type="auto">
          <Stack gap={4}>
            {audiences.length === 0 ? (
              <Text c="dimmed" size="sm" py="md" ta="center">
                This project has no audiences yet. Create one in the Audiences tab first.
              </Text>
            ) : visible.length === 0 ? (
              <Text c="dimmed" size="sm" py="md" ta="center">
                No audiences match “{query}”.
              </Text>
            ) : (
              visible.map((a) => {
                const checked = chosen.includes(a.uid);
                return (
                  <Checkbox
                    key={a.uid}
                    p="xs"
                    checked={checked}
                    disabled={!checked && full}
                    onChange={(e) => toggle(a.uid, e.currentTarget.checked)}
                    label={a.name}
                    description={a.description || undefined}
                  />
                );
              })
            )}
          </Stack>
        </ScrollArea.Autosize>
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {chosen.length} selected{full ? ` (the maximum of ${String(MAX_AUDIENCES_PER_VARIANT)})` : ''}
          </Text>
          <Group>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              onClick={() => {
                // Keep the list's order, so the saved variant reads like the picker.
                onApply(audiences.map((a) => a.uid).filter((uid) => chosen.includes(uid)));
                onClose();
              }}
            >
              Apply Selected Audiences
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
