import { useEffect } from 'react';
import { Alert, Badge, Box, Group, Loader, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowRight, IconInfoCircle } from '@tabler/icons-react';
import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ImpactExample, ImpactFigures, ImpactPreview as Preview } from '@tailor/contract';
import { impactFigures, useImpactPreview, type ImpactProposal } from '../../api/impact';
import { formatTimestamp, timeAgo } from '../../components/time';

interface Props {
  projectUid: string;
  /** Undefined for an audience not yet created. */
  audienceUid: string | undefined;
  /** The saved version the draft is compared with. */
  revision?: number | undefined;
  /** The draft as a save would send it; null while it is invalid (the preview waits). */
  proposal: ImpactProposal | null;
  /** Told the figures of each preview answered for the current draft, with that draft (JSON), to send with the save. */
  onFigures?: (figures: ImpactFigures | null, proposal: string | null) => void;
  /** Inside the save confirmation: no outer frame. */
  embedded?: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');
/** A variant's name in its experience's ACTIVE version ("No variant" for null). */
function variantLabel(experience: { variants: Array<{ shortUid: string; name: string }> } | undefined, shortUid: string | null): string {
  if (shortUid === null) return 'No variant';
  return experience?.variants.find((v) => v.shortUid === shortUid)?.name ?? `Variant ${shortUid}`;
}

function SampleNote({ preview }: { preview: Preview }) {
  const { from, to } = preview.window;
  return (
    <Text size="xs" c="dimmed" data-testid="impact-sample">
      Based on {count(preview.sampleSize)} recently seen visitor{preview.sampleSize === 1 ? '' : 's'}
      {from !== null && to !== null ? ` (last seen ${formatTimestamp(from)} – ${formatTimestamp(to)}, newest ${timeAgo(to)})` : ''}. It cannot know about visitors not
      seen in the last 30 days or beyond the {count(50_000)} most recent, nor attributes set after a visitor&apos;s last visit.
    </Text>
  );
}

function MembershipBars({ preview }: { preview: Preview }) {
  const data = [
    { name: 'Joined', value: preview.joined, color: 'var(--mantine-color-teal-6)' },
    { name: 'Left', value: preview.left, color: 'var(--mantine-color-red-6)' },
  ];
  return (
    <Box h={84} aria-hidden>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 84 }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 4 }}>
          <XAxis type="number" hide domain={[0, Math.max(1, preview.joined, preview.left)]} />
          <YAxis type="category" dataKey="name" width={56} tickLine={false} axisLine={false} fontSize={12} />
          <Bar dataKey="value" isAnimationActive={false} barSize={18} radius={[0, 3, 3, 0]}>
            {data.map((d) => (
              <Cell key={d.name} fill={d.color} />
            ))}
            <LabelList dataKey="value" position="right" fontSize={12} formatter={(v: unknown) => (typeof v === 'number' ? count(v) : '')} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}

function Figure({ label, value, color, testId }: { label: string; value: string; color?: string; testId: string }) {
  return (
    <Paper withBorder p="xs" radius="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700} c={color} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

function ExampleRow({ example, side, experiences }: { example: ImpactExample; side: 'joined' | 'left'; experiences: Preview['experiences'] }) {
  return (
    <Paper withBorder p="xs" radius="sm" data-testid={`impact-example-${side}`}>
      <Group gap={6} mb={4} wrap="nowrap">
        <Badge size="xs" color={side === 'joined' ? 'teal' : 'red'} variant="light">
          {side === 'joined' ? 'joins' : 'leaves'}
        </Badge>
        <Text size="xs" ff="monospace" truncate="end" title={example.visitorUid}>
          {example.visitorUid}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          seen {timeAgo(example.lastSeenAt)}
        </Text>
      </Group>
      <Stack gap={2}>
        {example.rules.map((r) => (
          <Text size="xs" key={r.path} style={{ overflowWrap: 'anywhere' }}>
            <Text span size="xs" fw={600}>
              {r.before === null ? 'New rule' : r.after === null ? 'Removed rule' : 'Rule'}:
            </Text>{' '}
            {r.reason}
          </Text>
        ))}
        {example.variants.map((v) => {
          const experience = experiences.find((x) => x.uid === v.experienceUid);
          return (
            <Text size="xs" c="dimmed" key={v.experienceUid}>
              {v.experienceName}: {variantLabel(experience, v.from)} → {variantLabel(experience, v.to)}
            </Text>
          );
        })}
      </Stack>
    </Paper>
  );
}

/** The figures and tables of one preview answer. */
export function ImpactPreviewBody({ preview }: { preview: Preview }) {
  if (preview.sampleSize === 0) {
    return (
      <Alert color="gray" icon={<IconInfoCircle size={18} />} data-testid="impact-empty">
        {preview.message ?? 'No visitors were seen recently, so there is nothing to preview yet.'}
      </Alert>
    );
  }
  const examples = [...preview.examples.joined.map((e) => ({ e, side: 'joined' as const })), ...preview.examples.left.map((e) => ({ e, side: 'left' as const }))];
  return (
    <Stack gap="sm">
      {preview.partial && (
        <Alert color="yellow" icon={<IconInfoCircle size={18} />} p="xs">
          {preview.message ?? 'Only part of the sample was evaluated in time.'}
        </Alert>
      )}
      <SimpleGrid cols={3} spacing="xs">
        <Figure label="Join" value={`+${count(preview.joined)}`} color={preview.joined > 0 ? 'teal.7' : 'dimmed'} testId="impact-joined" />
        <Figure label="Leave" value={`−${count(preview.left)}`} color={preview.left > 0 ? 'red.7' : 'dimmed'} testId="impact-left" />
        <Figure label="In audience" value={`${count(preview.before)} → ${count(preview.after)}`} testId="impact-members" />
      </SimpleGrid>
      <MembershipBars preview={preview} />
      {preview.experiences.length > 0 && (
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Live experiences
          </Text>
          {preview.experiences.map((x) => (
            <Box key={x.uid} data-testid="impact-experience">
              <Group gap={6}>
                <Text size="sm">{x.name}</Text>
                <Badge size="xs" variant="light" color={x.visitorsChangingVariant > 0 ? 'orange' : 'gray'}>
                  {count(x.visitorsChangingVariant)} change variant
                </Badge>
              </Group>
              {x.transitions.length > 0 && (
                <Table withTableBorder fz="xs" verticalSpacing={2} mt={4} data-testid="impact-transitions">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>From</Table.Th>
                      <Table.Th />
                      <Table.Th>To</Table.Th>
                      <Table.Th ta="right">Visitors</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {x.transitions.map((t) => (
                      <Table.Tr key={`${t.from ?? ''}→${t.to ?? ''}`}>
                        <Table.Td>{variantLabel(x, t.from)}</Table.Td>
                        <Table.Td w={20}>
                          <IconArrowRight size={12} />
                        </Table.Td>
                        <Table.Td>{variantLabel(x, t.to)}</Table.Td>
                        <Table.Td ta="right">{count(t.visitors)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Box>
          ))}
        </Stack>
      )}
      {examples.length > 0 && (
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Example visitors
          </Text>
          {examples.map(({ e, side }) => (
            <ExampleRow key={`${side}:${e.visitorUid}`} example={e} side={side} experiences={preview.experiences} />
          ))}
        </Stack>
      )}
      <SampleNote preview={preview} />
    </Stack>
  );
}

/**
 * Who the draft moves among recently seen visitors and which live experiences then show them a
 * different variant. Refreshes as the draft changes (debounced; stale requests are cancelled).
 */
export function ImpactPreview({ projectUid, audienceUid, revision, proposal, onFigures, embedded = false }: Props) {
  const { query, requested } = useImpactPreview(projectUid, audienceUid, revision, proposal);
  const current = proposal === null ? null : JSON.stringify(proposal);
  const preview = query.data;
  // Only an answer for exactly the current draft may travel with the save.
  const matchesDraft = preview !== undefined && !query.isPlaceholderData && !query.isFetching && requested === current;
  useEffect(() => {
    onFigures?.(matchesDraft && preview !== undefined ? impactFigures(preview) : null, matchesDraft ? current : null);
  }, [matchesDraft, preview, current, onFigures]);

  const body =
    proposal === null ? (
      <Text size="sm" c="dimmed">
        Fix the rules to see their impact.
      </Text>
    ) : query.isError && preview === undefined ? (
      <Alert color="red" title="Could not preview the impact">
        {query.error instanceof Error ? query.error.message : 'Unexpected error'}
      </Alert>
    ) : preview === undefined ? (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          Evaluating recent visitors…
        </Text>
      </Group>
    ) : (
      <ImpactPreviewBody preview={preview} />
    );

  const header = (
    <Group justify="space-between" mb="xs">
      <Title order={3} size="h5">
        Impact preview
      </Title>
      {(query.isFetching || (current !== null && requested !== current)) && preview !== undefined && (
        <Tooltip label="The preview follows your edits">
          <Badge size="xs" variant="light" color="gray" leftSection={<Loader size={8} />} data-testid="impact-updating">
            Updating
          </Badge>
        </Tooltip>
      )}
    </Group>
  );

  if (embedded) {
    return (
      <Box data-testid="impact-preview" aria-live="polite">
        {header}
        {/* Inside a dialog: scroll the preview, never the dialog's buttons out of sight. */}
        <ScrollArea.Autosize mah="calc(100vh - 420px)" type="auto" offsetScrollbars>
          {body}
        </ScrollArea.Autosize>
      </Box>
    );
  }
  return (
    <Paper withBorder p="md" component="section" data-testid="impact-preview" aria-live="polite">
      {header}
      {body}
    </Paper>
  );
}
