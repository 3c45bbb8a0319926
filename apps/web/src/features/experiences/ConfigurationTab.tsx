import { useReducer, useState } from 'react';
import { Alert, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconArchive, IconLock } from '@tabler/icons-react';
import type { Version } from '@tailor/contract';
import { useAudiences } from '../../api/audiences';
import { useEvents } from '../../api/events';
import { useDeleteVersion, useSaveVersion } from '../../api/experiences';
import { notifySuccess } from '../../components/notify';
import { UnsavedChangesModal } from '../../components/UnsavedChangesModal';
import { useUnsavedChangesGuard } from '../../components/use-unsaved-changes-guard';
import { AbTestEditor } from './AbTestEditor';
import { useExperiencePage } from './experience-page-context';
import { SegmentedVariantsEditor } from './SegmentedVariantsEditor';
import { draftFromVersion, draftReducer, draftToRequest, isDraftChanged, validateDraft } from './version-draft';
import { reportVersionError } from './version-errors';
import { VersionStateActions } from './VersionStateActions';
import { runMutation } from './run-mutation';

function Footer({ children }: { children: React.ReactNode }) {
  return (
    <Paper withBorder p="sm" pos="sticky" bottom={0} style={{ zIndex: 5 }} shadow="xs">
      {children}
    </Paper>
  );
}

function VersionEditor({ version }: { version: Version }) {
  const { projectUid, experience, versions, selectVersion, reloadVersions, canEdit } = useExperiencePage();
  const audiences = useAudiences(projectUid);
  const events = useEvents(projectUid);
  const original = draftFromVersion(experience.__type, version);
  const [draft, dispatch] = useReducer(draftReducer, original);
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [confirm, setConfirm] = useState<'activate' | 'discard' | null>(null);
  const save = useSaveVersion(projectUid, experience.uid);
  const remove = useDeleteVersion(projectUid, experience.uid);

  const editable = version.status === 'DRAFT' && canEdit;
  const validation = validateDraft(draft);
  // Traffic sums are checked live; the rest once the user tries to save, so a new row is not red at once.
  const errors = { ...serverErrors, ...(showErrors ? validation : {}), ...(validation.trafficDistribution === undefined ? {} : { trafficDistribution: validation.trafficDistribution }) };
  const changed = isDraftChanged(draft, original);
  // `?version=` picks the version edited here, so switching versions loses edits as leaving does.
  const { blocker, allowNavigation } = useUnsavedChangesGuard(editable && changed, { guardSearch: true });
  const live = versions.find((v) => v.status === 'ACTIVE' || v.status === 'PAUSED');
  const otherVersions = versions.some((v) => v.uid !== version.uid && v.status !== 'ARCHIVED');

  const send = (status: 'DRAFT' | 'ACTIVE') => {
    setShowErrors(true);
    if (Object.keys(validation).length > 0) {
      setConfirm(null);
      return;
    }
    runMutation(save, 
      { versionUid: version.uid, body: draftToRequest(draft, status, version.version) },
      {
        onSuccess: (saved) => {
          setConfirm(null);
          setServerErrors({});
          notifySuccess(status === 'ACTIVE' ? `Version ${String(saved.versionNumber)} is active` : 'Draft saved');
          if (status === 'ACTIVE') {
            allowNavigation();
            selectVersion(undefined);
          }
        },
        onError: (error) => {
          setConfirm(null);
          setServerErrors(reportVersionError(error, reloadVersions, status === 'ACTIVE' ? 'Could not activate' : 'Could not save the draft'));
        },
      },
    );
  };

  const discard = () => {
    if (changed || !otherVersions) {
      // Unsaved edits (or the only version, which must stay): go back to the saved copy.
      dispatch({ type: 'reset', draft: original });
      setConfirm(null);
      setShowErrors(false);
      setServerErrors({});
      notifySuccess('Unsaved changes discarded');
      return;
    }
    runMutation(remove, version.uid, {
      onSuccess: () => {
        setConfirm(null);
        notifySuccess(`Draft Version ${String(version.versionNumber)} discarded`);
        selectVersion(undefined);
      },
      onError: (error) => {
        setConfirm(null);
        reportVersionError(error, reloadVersions, 'Could not discard the draft');
      },
    });
  };

  const sharedProps = { draft, dispatch, errors, readOnly: !editable, audiences: audiences.data ?? [] };

  return (
    <Stack gap="md">
      {version.status === 'ARCHIVED' && (
        <Alert color="gray" icon={<IconArchive size={18} />} title={`Version ${String(version.versionNumber)} is archived`}>
          <Group justify="space-between">
            <Text size="sm">This is how the experience was configured. Archived versions are read-only and keep their analytics.</Text>
            <Button size="xs" variant="default" onClick={() => selectVersion(undefined)}>
              Back to the current version
            </Button>
          </Group>
        </Alert>
      )}
      {(version.status === 'ACTIVE' || version.status === 'PAUSED') && (
        <Alert color="blue" icon={<IconLock size={18} />} title={`Version ${String(version.versionNumber)} is ${version.status === 'ACTIVE' ? 'active' : 'paused'} and locked`}>
          Variants, audiences{experience.__type === 'AB_TEST' ? ', traffic distribution, target group and metrics' : ''} cannot change while a version is live. Create a draft to
          change them; activating it archives this version.
        </Alert>
      )}
      {editable && live !== undefined && (
        <Alert color="violet" variant="light" title={`Draft of Version ${String(version.versionNumber)}`}>
          Visitors keep seeing Version {live.versionNumber} ({live.status.toLowerCase()}) until you activate this draft.
        </Alert>
      )}
      <Paper withBorder p="md">
        {experience.__type === 'SEGMENTED' ? <SegmentedVariantsEditor {...sharedProps} /> : <AbTestEditor {...sharedProps} events={events.data ?? []} />}
      </Paper>
      {editable && (
        <Footer>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {changed ? 'Unsaved changes' : `Version ${String(version.versionNumber)} · draft saved`}
            </Text>
            <Group gap="sm">
              <Button variant="default" color="red" onClick={() => setConfirm('discard')} disabled={!changed && !otherVersions}>
                Discard Draft
              </Button>
              <Button variant="default" onClick={() => send('DRAFT')} loading={save.isPending && confirm === null} disabled={!changed}>
                Save Draft
              </Button>
              <Button
                onClick={() => {
                  setShowErrors(true);
                  if (Object.keys(validation).length === 0) setConfirm('activate');
                }}
              >
                Activate Draft
              </Button>
            </Group>
          </Group>
        </Footer>
      )}
      {canEdit && (version.status === 'ACTIVE' || version.status === 'PAUSED') && (
        <Footer>
          <VersionStateActions version={version} />
        </Footer>
      )}
      <Modal opened={confirm === 'activate'} onClose={() => setConfirm(null)} title="Activate Draft" centered>
        <Stack>
          <Text size="sm">
            Visitors start seeing the variants of Version {version.versionNumber} at once
            {changed ? ' (your unsaved changes are saved first)' : ''}.
            {live !== undefined ? ` Version ${String(live.versionNumber)} is archived, with its analytics.` : ''} Analytics start fresh for this version.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button loading={save.isPending} onClick={() => send('ACTIVE')}>
              Activate
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={confirm === 'discard'} onClose={() => setConfirm(null)} title="Discard Draft" centered>
        <Stack>
          <Text size="sm">
            {changed || !otherVersions
              ? 'Throw away your unsaved changes and go back to the saved draft?'
              : `Delete draft Version ${String(version.versionNumber)}? The experience keeps its current version.`}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={discard}>
              Discard
            </Button>
          </Group>
        </Stack>
      </Modal>
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  );
}

export function ConfigurationTab() {
  const { selected } = useExperiencePage();
  // A new key per saved server copy: after a save, a reload or a conflict the editor starts from what the server holds.
  return <VersionEditor key={`${selected.uid}:${String(selected.version)}`} version={selected} />;
}
