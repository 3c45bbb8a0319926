import { Anchor, AppShell, Avatar, Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconApi, IconChevronDown, IconLogout } from '@tabler/icons-react';
import { Link, Outlet, useNavigate } from 'react-router';
import { useLogout } from '../api/use-session';
import { notifyError } from '../components/notify';
import { displayName, loggedOutState, useAuthenticatedUser } from './auth-context';

const orgRoleLabel = { OWNER: 'Org Owner', ADMIN: 'Org Admin', MEMBER: 'Org Member' } as const;

function UserMenu() {
  const user = useAuthenticatedUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const name = displayName(user);
  const initials = `${user.firstName.charAt(0)}${user.lastName.charAt(0)}`.toUpperCase() || '?';

  const onLogout = () =>
    logout.mutate(undefined, {
      // The login page forgets the session once this layout is gone; forgetting it here would
      // make RequireAuth redirect first, with a pointless return path.
      onSuccess: () => void navigate('/login', { replace: true, state: loggedOutState }),
      onError: (error) => notifyError(error, 'Could not log out'),
    });

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="User menu">
          <Group gap="xs">
            <Avatar size="sm" color="violet" radius="xl">
              {initials}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm">
              {name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)">
            {name}
          </Text>
          <Text size="xs">{user.email}</Text>
          <Text size="xs">
            {user.organization.name} · {orgRoleLabel[user.orgRole]}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={onLogout} disabled={logout.isPending}>
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function AppLayout() {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Anchor component={Link} to="/" underline="never" c="violet.7" fw={700} fz="lg">
              Tailor
            </Anchor>
            <Badge variant="light" size="sm" visibleFrom="sm">
              Personalize
            </Badge>
          </Group>
          <Group gap="lg" wrap="nowrap">
            <Anchor component={Link} to="/api-reference" size="sm" c="dimmed">
              <Group gap={4} wrap="nowrap">
                <IconApi size={16} />
                API reference
              </Group>
            </Anchor>
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        <Outlet />
        {/* DB-IP's City Lite data (CC BY 4.0) decides COUNTRY/REGION/CITY: its licence asks for this credit. */}
        <Text component="footer" size="xs" c="dimmed" ta="center" mt="xl" pb="xs">
          IP geolocation by{' '}
          <Anchor href="https://db-ip.com" target="_blank" rel="noreferrer" size="xs" c="dimmed" underline="always">
            DB-IP
          </Anchor>
        </Text>
      </AppShell.Main>
    </AppShell>
  );
}
