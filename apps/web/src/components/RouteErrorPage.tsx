import { Alert, Button, Code, Container, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useRouteError } from 'react-router';

/** Last line of defence for a rendering bug: say so plainly and offer a way out. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Container size="sm" py={64}>
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Something went wrong in the console">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">Reload the page to continue. If it happens again, report the message below.</Text>
          <Code block>{message}</Code>
          <Button size="xs" variant="light" color="red" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </Stack>
      </Alert>
    </Container>
  );
}
