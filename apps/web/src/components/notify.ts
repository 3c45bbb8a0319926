import { notifications } from '@mantine/notifications';

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
}

export function notifyError(error: unknown, title = 'Could not save'): void {
  notifications.show({
    color: 'red',
    title,
    message: error instanceof Error ? error.message : 'Unexpected error',
    autoClose: 8000,
  });
}
