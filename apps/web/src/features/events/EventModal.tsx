import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import type { Event } from '@tailor/contract';
import { useSaveEvent } from '../../api/events';
import { conflictCurrent } from '../../api/project-api';
import { fieldErrorOf, formErrorOf } from '../../api/form-errors';
import { notifySuccess } from '../../components/notify';

/** "New Event" / "Edit Event": Key and Description (events have no name). */
export function EventModal({ projectUid, event, onClose }: { projectUid: string; event?: Event; onClose: () => void }) {
  const [key, setKey] = useState(event?.key ?? '');
  const [description, setDescription] = useState(event?.description ?? '');
  const version = event?.version;
  const [touched, setTouched] = useState(false);
  const save = useSaveEvent(projectUid);
  const editing = event !== undefined;
  const keyError = touched && key.trim() === '' ? 'Please enter an event key' : fieldErrorOf(save.error, 'key');
  const theirs = conflictCurrent<Event>(save.error);
  const formError = theirs ? undefined : formErrorOf(save.error, ['key', 'description']);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (key.trim() === '') return;
    save.mutate(
      { uid: event?.uid, version: theirs ? theirs.version : version, input: { key: key.trim(), description } },
      {
        onSuccess: () => {
          notifySuccess(editing ? 'Event updated successfully' : 'New event added successfully');
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit Event' : 'New Event'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Key"
            required
            placeholder="Enter event key"
            description={editing && key !== event.key ? 'Edge clients that trigger the old key must be updated.' : 'What triggerEvent() sends, e.g. purchase'}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            error={keyError}
            data-autofocus
            maxLength={100}
          />
          <Textarea label="Description" placeholder="Enter a description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={2000} error={fieldErrorOf(save.error, 'description')} />
          {theirs && (
            <Alert color="orange" p="sm">
              {theirs.updatedByUserName} changed this event meanwhile (key now “{theirs.key}”). Save again to overwrite it with your values.
            </Alert>
          )}
          {formError && (
            <Alert color="red" p="sm" role="alert">
              {formError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
