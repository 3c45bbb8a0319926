import { useCallback, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Box, Button, Grid, Group, Paper, Stack, Text, TextInput, Textarea, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconChartBar, IconFlask, IconHistory, IconInfoCircle } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { Attribute, Audience, CustomAttribute, ImpactFigures } from '@tailor/contract';
import { validateDefinition, type RuleCombination } from '@tailor/engine';
import { useAudienceReferences, useSaveAudience } from '../../api/audiences';
import { useWarmImpactPreview } from '../../api/impact';
import { conflictCurrent } from '../../api/project-api';
import { isApiError } from '../../api/api-error';
import { notifyError, notifySuccess } from '../../components/notify';
import { RuleBuilder } from '../../components/rule-builder/RuleBuilder';
import { fromDefinition, toDefinition } from '../../components/rule-builder/rule-builder-state';
import { summarizeDraft } from '../../components/rule-builder/rule-summary';
import { UnsavedChangesModal } from '../../components/UnsavedChangesModal';
import { useUnsavedChangesGuard } from '../../components/use-unsaved-changes-guard';
import { useRuleBuilder } from '../../components/rule-builder/use-rule-builder';
import { attributeOptionsOf, catalogOf } from './audience-catalog';
import { ConflictModal } from './ConflictModal';
import { HistoryDrawer } from './HistoryDrawer';
import { isActiveReference, ReferencesList } from './ReferencesList';
import { SaveConfirmModal } from './SaveConfirmModal';
import { TestAudiencePanel } from './TestAudiencePanel';
import { ImpactPreview } from '../impact/ImpactPreview';

interface Props {
  projectUid: string;
  audience: Audience | undefined;
  attributes: Attribute[];
  canEdit: boolean;
  /** The project's rule limit (default 50). */
  maxRules?: number | undefined;
}

interface Baseline {
  name: string;
  description: string;
  definition: string;
}

const baselineOf = (a: Audience | undefined): Baseline => ({
  name: a?.name ?? '',
  description: a?.description ?? '',
  definition: JSON.stringify(toDefinition(fromDefinition(a?.definition as RuleCombination | undefined)).definition),
});

export function AudienceEditor({ projectUid, audience, attributes, canEdit, maxRules }: Props) {
  const navigate = useNavigate();
  const catalog = useMemo(() => catalogOf(attributes), [attributes]);
  const attributeOptions = useMemo(() => attributeOptionsOf(attributes), [attributes]);
  const customAttributes = useMemo(() => attributes.filter((a): a is CustomAttribute => a.__type === 'CUSTOM'), [attributes]);
  const limits = useMemo(() => (maxRules === undefined ? {} : { maxRules }), [maxRules]);
  const builder = useRuleBuilder(() => fromDefinition(audience?.definition as RuleCombination | undefined), catalog, limits);
  const [name, setName] = useState(audience?.name ?? '');
  const [description, setDescription] = useState(audience?.description ?? '');
  const [nameError, setNameError] = useState<string | null>(null);
  const [descriptionError, setDescriptionError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [current, setCurrent] = useState<Audience | undefined>(audience);
  const [baseline, setBaseline] = useState<Baseline>(() => baselineOf(audience));
  const [conflict, setConflict] = useState<Audience | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [testOpen, setTestOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  // Impact preview (issue 8): its figures travel with the save when they match the saved draft.
  const [impactOpen, setImpactOpen] = useState(false);
  const impactFigures = useRef<{ figures: ImpactFigures; key: string } | null>(null);
  const onImpactFigures = useCallback((figures: ImpactFigures | null, key: string | null) => {
    if (figures !== null && key !== null) impactFigures.current = { figures, key };
  }, []);
  const save = useSaveAudience(projectUid);
  const references = useAudienceReferences(projectUid, current?.uid);
  const experienceRefs = useMemo(() => (references.data ?? []).filter((r) => r.kind === 'experience'), [references.data]);
  const activeRefs = experienceRefs.filter(isActiveReference);
  const listPath = `/projects/${projectUid}/audiences`;

  const definitionJson = useMemo(() => JSON.stringify(builder.definition), [builder.definition]);
  const dirty = name !== baseline.name || description !== baseline.description || definitionJson !== baseline.definition;

  const { blocker, allowNavigation } = useUnsavedChangesGuard(dirty);

  const summary = useMemo(() => summarizeDraft(builder.root, catalog), [builder.root, catalog]);
  const validDefinition = useMemo(() => {
    if (builder.issues.length > 0) return null;
    const result = validateDefinition(builder.definition, catalog, limits);
    return result.ok ? result.definition : null;
  }, [builder.issues, builder.definition, catalog, limits]);
  const impactProposal = useMemo(() => (validDefinition === null ? null : { definition: builder.definition }), [validDefinition, builder.definition]);
  useWarmImpactPreview(projectUid, current?.uid, current?.version, baseline.definition, canEdit);

  const loadAudience = (a: Audience) => {
    setCurrent(a);
    setName(a.name);
    setDescription(a.description);
    builder.dispatch({ type: 'replace', root: fromDefinition(a.definition as RuleCombination) });
    setBaseline(baselineOf(a));
    setNameError(null);
    setDescriptionError(null);
    setFormError(null);
  };

  const doSave = (version: number | undefined) => {
    setFormError(null);
    const previewed = impactFigures.current?.key === JSON.stringify({ definition: builder.definition }) ? impactFigures.current.figures : undefined;
    const input = { name: name.trim(), description, definition: builder.definition, ...(previewed ? { impact: previewed } : {}) };
    save.mutate(
      { uid: current?.uid, version, input },
      {
        onSuccess: (saved) => {
          setConflict(null);
          setConfirming(false);
          notifySuccess(current === undefined ? 'Audience created successfully' : 'Audience updated successfully');
          setCurrent(saved);
          setName(saved.name);
          setDescription(saved.description);
          setBaseline({ name: saved.name, description: saved.description, definition: JSON.stringify(builder.definition) });
          if (current === undefined) {
            allowNavigation();
            void navigate(`${listPath}/${saved.uid}`, { replace: true });
          }
        },
        onError: (error) => {
          setConfirming(false);
          const theirs = conflictCurrent<Audience>(error);
          if (theirs) {
            setConflict(theirs);
            return;
          }
          if (isApiError(error) && Object.keys(error.fieldErrors).length > 0) {
            const unplaced = builder.setServerErrors(error.fieldErrors);
            setNameError(error.fieldError('name') ?? null);
            setDescriptionError(error.fieldError('description') ?? null);
            const other = Object.entries(error.fieldErrors).filter(([p]) => p !== 'name' && p !== 'description' && !p.startsWith('definition'));
            const messages = [...unplaced, ...other.map(([p, m]) => `${p}: ${m.join(', ')}`)];
            setFormError(messages.length > 0 ? messages.join('; ') : 'Fix the highlighted fields.');
            return;
          }
          setFormError(error instanceof Error ? error.message : 'Unexpected error');
          notifyError(error, 'Could not save the audience');
        },
      },
    );
  };

  const onSave = () => {
    builder.revealAll();
    let ok = true;
    if (name.trim() === '') {
      setNameError('Please enter an audience name');
      ok = false;
    }
    const result = validateDefinition(builder.definition, catalog, limits);
    if (!result.ok) {
      setFormError(`Fix the highlighted rules (${String(result.issues.length)} problem${result.issues.length === 1 ? '' : 's'}).`);
      ok = false;
    }
    if (!ok) return;
    if (current !== undefined && activeRefs.length > 0) {
      setConfirming(true);
      return;
    }
    doSave(current?.version);
  };

  const onCancel = () => void navigate(listPath);

  const ruleLabel = useCallback(
    (path: string) => {
      const id = builder.paths.get(path);
      if (id === undefined) return path;
      const n = builder.numbers.get(id);
      if (n !== undefined) return `Rule ${String(n)}`;
      const g = builder.groupNumbers.get(id);
      return g === undefined || g === 1 ? 'All rules' : `Group ${String(g)}`;
    },
    [builder.paths, builder.numbers, builder.groupNumbers],
  );

  const title = current === undefined ? (name.trim() || 'Untitled') : name.trim() || current.name;

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Box style={{ minWidth: 0 }}>
          <Anchor component={Link} to={listPath} size="sm" c="dimmed">
            Audiences
          </Anchor>
          <Title order={2} size="h3" style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
          {current && (
            <Text size="xs" c="dimmed">
              Version {current.version} · Unique ID {current.uid}
            </Text>
          )}
        </Box>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" leftSection={<IconChartBar size={16} />} onClick={() => setImpactOpen((o) => !o)} aria-pressed={impactOpen} data-testid="preview-impact-button">
            Preview impact
          </Button>
          <Button variant="default" leftSection={<IconFlask size={16} />} onClick={() => setTestOpen((o) => !o)} aria-pressed={testOpen}>
            Test this audience
          </Button>
          {current && (
            <Button variant="default" leftSection={<IconHistory size={16} />} onClick={() => setHistoryOpen(true)}>
              History
            </Button>
          )}
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          {canEdit && (
            <Tooltip label="No unsaved changes" disabled={dirty || current === undefined}>
              <Button onClick={onSave} loading={save.isPending} data-testid={current ? 'save-audience-button' : 'audience-create-button'}>
                Save
              </Button>
            </Tooltip>
          )}
        </Group>
      </Group>

      {experienceRefs.length > 0 && (
        <Alert color={activeRefs.length > 0 ? 'orange' : 'blue'} icon={<IconInfoCircle size={18} />} title={`Used in ${String(experienceRefs.length)} experience version${experienceRefs.length === 1 ? '' : 's'}`} data-testid="audience-references-banner">
          <Text size="sm" mb={6}>
            Editing an audience that is referenced in an experience might affect your active segmentation, A/B tests, and analytics.
          </Text>
          <ReferencesList projectUid={projectUid} references={experienceRefs} />
        </Alert>
      )}

      {formError && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert" title="Could not save">
          {formError}
        </Alert>
      )}

      <Grid gutter="md">
        <Grid.Col span={testOpen || impactOpen ? { base: 12, lg: 8 } : 12}>
          <Stack gap="md">
            <Paper withBorder p="md">
              <Stack gap="sm">
                <TextInput
                  label="Name"
                  required
                  placeholder="Enter an audience name"
                  value={name}
                  onChange={(e) => {
                    setName(e.currentTarget.value);
                    setNameError(null);
                  }}
                  error={nameError}
                  disabled={!canEdit}
                  maxLength={200}
                />
                <Textarea
                  label="Description"
                  placeholder="Enter a description"
                  value={description}
                  onChange={(e) => {
                    setDescription(e.currentTarget.value);
                    setDescriptionError(null);
                  }}
                  error={descriptionError}
                  disabled={!canEdit}
                  autosize
                  minRows={2}
                  maxRows={6}
                  maxLength={2000}
                />
              </Stack>
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="rules-title">
              <Group justify="space-between" mb="sm">
                <Title order={3} size="h5" id="rules-title">
                  Rules
                </Title>
                {canEdit && (
                  <Button size="xs" variant="subtle" color="red" onClick={() => builder.dispatch({ type: 'clear' })}>
                    Clear Rules
                  </Button>
                )}
              </Group>
              <RuleBuilder
                root={builder.root}
                dispatch={builder.dispatch}
                attributes={attributeOptions}
                canEdit={canEdit}
                maxDepth={8}
                numbers={builder.numbers}
                groupNumbers={builder.groupNumbers}
                errors={builder.errors}
              />
              <Box mt="sm" p="sm" bg="gray.0" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
                <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                  Summary
                </Text>
                <Text size="sm" data-testid="audience-summary" style={{ overflowWrap: 'anywhere' }} aria-live="polite">
                  {summary || 'No complete rules yet.'}
                </Text>
              </Box>
            </Paper>
          </Stack>
        </Grid.Col>
        {(testOpen || impactOpen) && (
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md">
              {impactOpen && <ImpactPreview projectUid={projectUid} audienceUid={current?.uid} revision={current?.version} proposal={impactProposal} onFigures={onImpactFigures} />}
              {testOpen && <TestAudiencePanel definition={validDefinition} catalog={catalog} customAttributes={customAttributes} ruleLabel={ruleLabel} onClose={() => setTestOpen(false)} />}
            </Stack>
          </Grid.Col>
        )}
      </Grid>

      {conflict && (
        <ConflictModal
          theirs={conflict}
          draft={{ name, description, definition: builder.definition }}
          catalog={catalog}
          saving={save.isPending}
          onClose={() => setConflict(null)}
          onTakeTheirs={() => {
            loadAudience(conflict);
            setConflict(null);
            notifySuccess('Loaded the other version');
          }}
          onKeepMine={() => {
            setCurrent(conflict);
            doSave(conflict.version);
          }}
        />
      )}
      {confirming && (
        <SaveConfirmModal
          projectUid={projectUid}
          references={activeRefs}
          saving={save.isPending}
          impactPreview={<ImpactPreview embedded projectUid={projectUid} audienceUid={current?.uid} revision={current?.version} proposal={impactProposal} onFigures={onImpactFigures} />}
          onCancel={() => setConfirming(false)}
          onConfirm={() => doSave(current?.version)}
        />
      )}
      {current && (
        <HistoryDrawer
          projectUid={projectUid}
          audience={current}
          catalog={catalog}
          opened={historyOpen}
          dirty={dirty}
          canEdit={canEdit}
          onClose={() => setHistoryOpen(false)}
          onRestored={(a) => {
            loadAudience(a);
            setHistoryOpen(false);
          }}
        />
      )}
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  );
}
