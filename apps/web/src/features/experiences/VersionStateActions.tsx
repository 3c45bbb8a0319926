import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCopy, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import type { Version } from '@tailor/contract';
import { useCreateVersion, useSaveVersion } from '../../api/experiences';
import { notifyError, notifySuccess } from '../../components/notify';
import { useExperiencePage } from './experience-page-context';
import { reportVersionError } from './version-errors';
import { draftFromVersion, draftToRequest } from './version-draft';
import { runMutation } from './run-mutation';

/** The footer of a live version: Create Draft (or open the existing one), Pause / Resume. */
export function VersionStateActions({ version }: { version: Version }) {
  const { projectUid, experience, versions, selectVersion, reloadVersions } = useExperiencePage();
  const create = useCreateVersion(projectUid, experience.uid);
  const save = useSaveVersion(projectUid, experience.uid);
  const [confirmPause, setConfirmPause] = useState(false);
  const existingDraft = versions.find((v) => v.status === 'DRAFT');

  const setStatus = (status: 'PAUSED' | 'ACTIVE') =>
    runMutation(save, 
      { versionUid: version.uid, body: draftToRequest(draftFromVersion(experience.__type, version), status, version.version) },
      {
        onSuccess: () => {
          setConfirmPause(false);
          notifySuccess(status === 'PAUSED' ? 'Experience paused: visitors now see the base entry' : 'Experience resumed');
        },
        onError: (error) => reportVersionError(error, reloadVersions, status === 'PAUSED' ? 'Could not pause' : 'Could not resume'),
      },
    );

  return (
    <Group justify="flex-end" gap="sm">
      {existingDraft !== undefined ? (
        <Button variant="default" onClick={() => selectVersion(existingDraft.uid === experience.latestVersion ? undefined : existingDraft.uid)}>
          Open Draft (Version {existingDraft.versionNumber})
        </Button>
      ) : (
        <Button
          variant="default"
          leftSection={<IconCopy size={16} />}
          loading={create.isPending}
          onClick={() =>
            runMutation(create, 
              { status: 'DRAFT', fromVersion: version.uid },
              {
                onSuccess: (draft) => {
                  notifySuccess(`Draft Version ${String(draft.versionNumber)} created from Version ${String(version.versionNumber)}`);
                  selectVersion(undefined);
                },
                onError: (error) => notifyError(error, 'Could not create a draft'),
              },
            )
          }
        >
          Create Draft
        </Button>
      )}
      {version.status === 'ACTIVE' && (
        <Button color="orange" leftSection={<IconPlayerPause size={16} />} onClick={() => setConfirmPause(true)}>
          Pause Experience
        </Button>
      )}
      {version.status === 'PAUSED' && (
        <Button color="green" leftSection={<IconPlayerPlay size={16} />} loading={save.isPending} onClick={() => setStatus('ACTIVE')}>
          Resume Experience
        </Button>
      )}
      <Modal opened={confirmPause} onClose={() => setConfirmPause(false)} title="Pause Experience" centered>
        <Stack>
          <Text size="sm">
            While paused, visitors see the base entry instead of this experience&apos;s variants. Analytics of Version {version.versionNumber} keep their data, and Resume
            continues the same test.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmPause(false)}>
              Cancel
            </Button>
            <Button color="orange" loading={save.isPending} onClick={() => setStatus('PAUSED')}>
              Pause
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
