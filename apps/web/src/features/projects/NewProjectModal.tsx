import type { FormEvent } from 'react';
import { useState } from 'react';
import { Alert, Button, Group, Modal, Textarea, TextInput } from '@mantine/core';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/api-error';
import { fieldErrorOf, formErrorOf } from '../../api/form-errors';
import { useCreateProject } from '../../api/use-projects';
import { notifySuccess } from '../../components/notify';

export function NewProjectModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const create = useCreateProject();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nameMissing, setNameMissing] = useState(false);

  const close = () => {
    setName('');
    setDescription('');
    setNameMissing(false);
    create.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameMissing(trimmed === '');
    if (trimmed === '') return;
    create.mutate(
      { name: trimmed, description: description.trim() },
      {
        onSuccess: (project) => {
          notifySuccess('Project created successfully');
          close();
          void navigate(`/projects/${project.uid}`);
        },
      },
    );
  };

  // A duplicate name is a 409 with a business code: it belongs under the Name field.
  const duplicateMessage =
    isApiError(create.error) && create.error.code === 'personalize.PROJECTS.DUPLICATE_NAME'
      ? create.error.message
      : undefined;
  const duplicate = duplicateMessage !== undefined;
  const nameError = nameMissing ? 'Name is required' : (duplicateMessage ?? fieldErrorOf(create.error, 'name'));
  const formError = duplicate ? undefined : formErrorOf(create.error, ['name', 'description']);

  return (
    <Modal opened={opened} onClose={close} title="New Personalize Project" centered size="md">
      <form onSubmit={onSubmit}>
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={nameError}
          mb="sm"
        />
        <Textarea
          label="Description"
          autosize
          minRows={3}
          maxRows={8}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldErrorOf(create.error, 'description')}
          mb="md"
        />
        {formError && (
          <Alert color="red" mb="md" role="alert">
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
