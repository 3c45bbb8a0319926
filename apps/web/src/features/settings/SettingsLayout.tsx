import { Alert, Stack } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Outlet } from 'react-router';
import { TabNav } from '../../components/TabNav';
import { useCurrentProject } from '../projects/project-context';

export function SettingsLayout() {
  const project = useCurrentProject();
  const base = `/projects/${project.uid}/settings`;
  return (
    <Stack gap="md" maw={960}>
      <TabNav
        label="Settings"
        items={[
          { label: 'General', to: `${base}/general` },
          { label: 'Users', to: `${base}/users` },
        ]}
      />
      {!project.canManage && (
        <Alert color="gray" icon={<IconLock size={18} />} role="note">
          Only project Owners can change settings. You can view them as a project Member.
        </Alert>
      )}
      <Outlet />
    </Stack>
  );
}
