import { Alert, Button, Container, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { isApiError } from '../api/api-error';

/** How a failed read is shown: access and existence get their own words, anything else a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const status = isApiError(error) ? error.status : undefined;
  if (status === 403) {
    return (
      <Container size="sm" py="xl">
        <Alert color="orange" icon={<IconLock size={18} />} title="You don't have access">
          Ask a project Owner or an organization Admin to invite you.
        </Alert>
      </Container>
    );
  }
  if (status === 404) {
    return (
      <Container size="sm" py="xl">
        <Alert color="gray" icon={<IconAlertTriangle size={18} />} title="Not found">
          It may have been deleted, or the link is wrong.
        </Alert>
      </Container>
    );
  }
  return (
    <Container size="sm" py="xl">
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Something went wrong">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{error instanceof Error ? error.message : 'Unexpected error'}</Text>
          {onRetry && (
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          )}
        </Stack>
      </Alert>
    </Container>
  );
}
