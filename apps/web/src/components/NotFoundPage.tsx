import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from './EmptyState';

export function NotFoundPage() {
  return (
    <EmptyState
      icon={<IconMapOff size={28} />}
      title="Page not found"
      action={
        <Button component={Link} to="/">
          Back to projects
        </Button>
      }
    >
      There is nothing at this address.
    </EmptyState>
  );
}
