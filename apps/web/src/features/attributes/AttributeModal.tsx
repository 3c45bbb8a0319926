import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import type { CustomAttribute } from '@tailor/contract';
import { ATTRIBUTE_KEY_PATTERN } from '@tailor/contract';
import { useSaveAttribute } from '../../api/attributes';
import { conflictCurrent } from '../../api/project-api';
import { fieldErrorOf, formErrorOf } from '../../api/form-errors';
import { notifySuccess } from '../../components/notify';

interface Props {
  projectUid: string;
  /** Absent for "New Attribute". */
  attribute?: CustomAttribute;
  onClose: () => void;
}

/** "New Attribute" / "Edit Attribute": Name, Key, Description. */
export function AttributeModal({ projectUid, attribute, onClose }: Props) {
  const [name, setName] = useState(attribute?.name ?? '');
  const [key, setKey] = useState(attribute?.key ?? '');
  const [description, setDescription] = useState(attribute?.description ?? '');
  const version = attribute?.version;
  const [touched, setTouched] = useState(false);
  const save = useSaveAttribute(projectUid);
  const editing = attribute !== undefined;
  const nameError = touched && name.trim() === '' ? 'Please enter an attribute name' : fieldErrorOf(save.error, 'name');
  const keyError =
    touched && key.trim() === ''
      ? 'Please enter an attribute key'
      : touched && !ATTRIBUTE_KEY_PATTERN.test(key.trim())
        ? 'Start with a letter; then letters, digits, "_" or "-" (at most 64 characters)'
        : fieldErrorOf(save.error, 'key');
  const theirs = conflictCurrent<CustomAttribute>(save.error);
  const formError = theirs ? undefined : formErrorOf(save.error, ['name', 'key', 'description']);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (name.trim() === '' || !ATTRIBUTE_KEY_PATTERN.test(key.trim())) return;
    save.mutate(
      { uid: attribute?.uid, version: theirs ? theirs.version : version, input: { name: name.trim(), key: key.trim(), description } },
      {
        onSuccess: (saved) => {
          notifySuccess(editing ? 'Attribute updated successfully' : 'New attribute added successfully');
          if (saved.warnings?.length) notifySuccess(saved.warnings.map((w) => w.message).join(' '));
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit Attribute' : 'New Attribute'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Name" required placeholder="Enter name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} data-autofocus maxLength={200} />
          <TextInput
            label="Key"
            required
            placeholder="Enter key"
            description={editing && key !== attribute.key ? 'Edge clients that set the old key must be updated to send the new one.' : 'What the Edge API and SDK send, e.g. plan'}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            error={keyError}
            maxLength={64}
          />
          <Textarea label="Description" placeholder="Enter a description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={2000} error={fieldErrorOf(save.error, 'description')} />
          {theirs && (
            <Alert color="orange" p="sm">
              {theirs.updatedByUserName} changed this attribute meanwhile (now “{theirs.name}”, key “{theirs.key}”). Save again to overwrite it with your values.
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
