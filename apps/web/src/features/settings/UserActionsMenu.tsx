import { ActionIcon, Menu, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconDotsVertical, IconLink, IconTrash, IconUserCancel, IconUserShield } from '@tabler/icons-react';
import type { ProjectUser } from '../../api/types';
import { useChangeUserRole, useReissueInvitationLink, useRemoveUser, useRevokeInvitation } from '../../api/use-project-users';
import { notifyError, notifySuccess } from '../../components/notify';
import { InvitationLinks } from './InvitationLinks';

export function UserActionsMenu({ projectUid, row }: { projectUid: string; row: ProjectUser }) {
  const changeRole = useChangeUserRole(projectUid);
  const removeUser = useRemoveUser(projectUid);
  const revoke = useRevokeInvitation(projectUid);
  const reissue = useReissueInvitationLink(projectUid);
  const who = row.name ?? row.email;
  const userUid = row.userUid ?? row.uid;
  const otherRole = row.role === 'OWNER' ? 'MEMBER' : 'OWNER';

  const onChangeRole = () =>
    changeRole.mutate(
      { userUid, role: otherRole },
      {
        onSuccess: () => notifySuccess(`${who} is now ${otherRole === 'OWNER' ? 'an Owner' : 'a Member'}`),
        onError: (error) => notifyError(error, 'Could not change the role'),
      },
    );

  const onRemove = () =>
    modals.openConfirmModal({
      title: 'Remove user',
      centered: true,
      children: <Text size="sm">Remove {who} from this project? They lose access to it at once.</Text>,
      labels: { confirm: 'Remove', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        removeUser.mutate(userUid, {
          onSuccess: () => notifySuccess('User removed successfully'),
          onError: (error) => notifyError(error, 'Could not remove the user'),
        }),
    });

  const onRevoke = () =>
    modals.openConfirmModal({
      title: 'Revoke invitation',
      centered: true,
      children: <Text size="sm">Revoke the invitation for {row.email}? Its link stops working.</Text>,
      labels: { confirm: 'Revoke', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        revoke.mutate(row.uid, {
          onSuccess: () => notifySuccess('Invitation revoked successfully'),
          onError: (error) => notifyError(error, 'Could not revoke the invitation'),
        }),
    });

  // Links are shown once (the server keeps only their digest): a lost one is replaced, not recovered.
  const onNewLink = () =>
    modals.openConfirmModal({
      title: 'New invitation link',
      centered: true,
      children: <Text size="sm">Create a new link for {row.email}? The link you shared before stops working.</Text>,
      labels: { confirm: 'Create link', cancel: 'Cancel' },
      onConfirm: () =>
        reissue.mutate(row.uid, {
          onSuccess: (issued) =>
            modals.open({
              title: 'Share the invitation link',
              centered: true,
              size: 'lg',
              children: <InvitationLinks invitations={[issued]} />,
            }),
          onError: (error) => notifyError(error, 'Could not create a new link'),
        }),
    });

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {/* Plain "Actions": naming the user here would also rename the cell, and the row already
            says whose actions these are (getByRole('row', { name }).getByRole('button')). */}
        <ActionIcon variant="subtle" color="gray" aria-label="Actions">
          <IconDotsVertical size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {row.status === 'PENDING' ? (
          <>
            <Menu.Item leftSection={<IconLink size={16} />} onClick={onNewLink}>
              New invitation link
            </Menu.Item>
            <Menu.Item leftSection={<IconUserCancel size={16} />} color="red" onClick={onRevoke}>
              Revoke invitation
            </Menu.Item>
          </>
        ) : (
          <>
            <Menu.Item leftSection={<IconUserShield size={16} />} onClick={onChangeRole}>
              Change role to {otherRole === 'OWNER' ? 'Owner' : 'Member'}
            </Menu.Item>
            <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={onRemove}>
              Remove
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
