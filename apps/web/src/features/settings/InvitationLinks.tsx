import { ActionIcon, CopyButton, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { ProjectUser } from '../../api/types';
import { invitationLink } from './invitation-link';

export function InvitationLinks({ invitations }: { invitations: ProjectUser[] }) {
  return (
    <Stack gap="sm">
      {invitations
        .filter((row) => row.invitationUrl !== null)
        .map((row) => {
          const link = invitationLink(row.invitationUrl ?? '');
          return (
            <TextInput
              key={row.uid}
              label={`Invitation link for ${row.email}`}
              readOnly
              value={link}
              onFocus={(e) => e.currentTarget.select()}
              rightSection={
                <CopyButton value={link} timeout={1500}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy link'} withArrow>
                      <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy invitation link for ${row.email}`}>
                        {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              }
            />
          );
        })}
    </Stack>
  );
}
