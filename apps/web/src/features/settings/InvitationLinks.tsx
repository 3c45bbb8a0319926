import { ActionIcon, Code, CopyButton, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { ProjectUser } from '../../api/types';
import { invitationLink } from './invitation-link';

/** Each link shown as selectable text (people copy it by hand, too) with a copy button. */
export function InvitationLinks({ invitations }: { invitations: ProjectUser[] }) {
  return (
    <Stack gap="sm">
      {invitations
        .filter((row) => row.invitationUrl !== null)
        .map((row) => {
          const link = invitationLink(row.invitationUrl ?? '');
          return (
            <Paper key={row.uid} withBorder p="sm" radius="sm">
              <Text size="sm" fw={500} mb={4}>
                {row.email}
              </Text>
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Code style={{ wordBreak: 'break-all', userSelect: 'all' }}>{link}</Code>
                <CopyButton value={link} timeout={1500}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy link'} withArrow>
                      <ActionIcon
                        variant="subtle"
                        color={copied ? 'teal' : 'gray'}
                        onClick={copy}
                        aria-label={`Copy invitation link for ${row.email}`}
                      >
                        {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            </Paper>
          );
        })}
    </Stack>
  );
}
