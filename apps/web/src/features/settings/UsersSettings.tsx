import { Badge, Button, Group, Paper, Skeleton, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import type { ProjectUser } from '../../api/types';
import { useProjectUsers } from '../../api/use-project-users';
import { QueryError } from '../../components/QueryError';
import { useCurrentProject } from '../projects/project-context';
import { InviteUserModal } from './InviteUserModal';
import { UserActionsMenu } from './UserActionsMenu';

const roleLabel = { OWNER: 'Owner', MEMBER: 'Member' } as const;

function StatusBadge({ status }: { status: ProjectUser['status'] }) {
  return status === 'ACCEPTED' ? (
    <Badge color="green" variant="light" tt="none">
      Accepted
    </Badge>
  ) : (
    <Badge color="yellow" variant="light" tt="none">
      Pending
    </Badge>
  );
}

export function UsersSettings() {
  const project = useCurrentProject();
  const users = useProjectUsers(project.uid);
  const [inviteOpened, invite] = useDisclosure(false);
  const columns = ['Name', 'Email Address', 'Status', 'Role', 'Invited By', ...(project.canManage ? ['Actions'] : [])];

  let rows;
  if (users.isPending) {
    rows = [0, 1].map((i) => (
      <Table.Tr key={i} aria-hidden>
        {columns.map((c) => (
          <Table.Td key={c}>
            <Skeleton height={12} />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  } else if (users.isError) {
    return <QueryError error={users.error} onRetry={() => void users.refetch()} />;
  } else {
    rows = users.data.map((row) => (
      <Table.Tr key={row.uid}>
        <Table.Td>{row.name ?? '-'}</Table.Td>
        <Table.Td>{row.email}</Table.Td>
        <Table.Td>
          <StatusBadge status={row.status} />
        </Table.Td>
        <Table.Td>{roleLabel[row.role]}</Table.Td>
        <Table.Td>{row.invitedBy}</Table.Td>
        {project.canManage && (
          <Table.Td>
            <UserActionsMenu projectUid={project.uid} row={row} />
          </Table.Td>
        )}
      </Table.Tr>
    ));
  }

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="users-title">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4" id="users-title">
            Users
          </Title>
          <Text size="sm" c="dimmed">
            Owners manage settings and users; Members manage experiences, audiences, attributes and events.
          </Text>
        </div>
        {project.canManage && (
          <Button leftSection={<IconPlus size={16} />} onClick={invite.open}>
            Invite User
          </Button>
        )}
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="sm" highlightOnHover aria-labelledby="users-title">
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c}>{c}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{rows}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {project.canManage && <InviteUserModal projectUid={project.uid} opened={inviteOpened} onClose={invite.close} />}
    </Paper>
  );
}
