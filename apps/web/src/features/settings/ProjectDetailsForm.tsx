import type { FormEvent } from 'react';
import { useState } from 'react';
import { ActionIcon, Button, CopyButton, Group, Paper, Textarea, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { isApiError } from '../../api/api-error';
import { fieldErrorOf } from '../../api/form-errors';
import type { Project } from '../../api/types';
import { useUpdateProject } from '../../api/use-projects';
import { notifyError, notifySuccess } from '../../components/notify';

export function ProjectDetailsForm({ project }: { project: Project }) {
  const update = useUpdateProject(project.uid);
  const [saved, setSaved] = useState({ name: project.name, description: project.description });
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [nameMissing, setNameMissing] = useState(false);
  const readOnly = !project.canManage;
  const dirty = name !== saved.name || description !== saved.description;

  const reset = () => {
    setName(saved.name);
    setDescription(saved.description);
    setNameMissing(false);
    update.reset();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameMissing(trimmed === '');
    if (trimmed === '') return;
    update.mutate(
      { name: trimmed, description: description.trim() },
      {
        onSuccess: (updated) => {
          setSaved({ name: updated.name, description: updated.description });
          setName(updated.name);
          setDescription(updated.description);
          notifySuccess('Project updated successfully');
        },
        onError: (error) => notifyError(error, 'Could not update the project'),
      },
    );
  };

  const duplicate = isApiError(update.error) && update.error.code === 'personalize.PROJECTS.DUPLICATE_NAME';
  const nameError = nameMissing
    ? 'Name is required'
    : duplicate
      ? update.error?.message
      : fieldErrorOf(update.error, 'name');

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="project-details-title">
      <Title order={2} size="h4" mb="md" id="project-details-title">
        Project Details
      </Title>
      <form onSubmit={onSubmit}>
        <TextInput
          label="Name"
          required
          disabled={readOnly}
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={nameError}
          mb="sm"
        />
        <Textarea
          label="Description"
          disabled={readOnly}
          autosize
          minRows={3}
          maxRows={8}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldErrorOf(update.error, 'description')}
          mb="sm"
        />
        <TextInput
          label="UID"
          readOnly
          value={project.uid}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          rightSection={
            <CopyButton value={project.uid} timeout={1500}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy UID'} withArrow>
                  <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy UID">
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          }
          mb="md"
        />
        {!readOnly && (
          <Group justify="flex-end">
            <Button variant="default" onClick={reset} disabled={!dirty || update.isPending}>
              Reset
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!dirty}>
              Save
            </Button>
          </Group>
        )}
      </form>
    </Paper>
  );
}
