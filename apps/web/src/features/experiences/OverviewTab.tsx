import { useState } from 'react';
import { Button, Group, Paper, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import type { Experience } from '@tailor/contract';
import { conflictCurrent } from '../../api/project-api';
import { useUpdateExperience } from '../../api/experiences';
import { fieldErrorOf } from '../../api/form-errors';
import { notifyError, notifySuccess } from '../../components/notify';
import { UnsavedChangesModal } from '../../components/UnsavedChangesModal';
import { useUnsavedChangesGuard } from '../../components/use-unsaved-changes-guard';
import { useExperiencePage } from './experience-page-context';
import { MAX_TAGS, normalizeTags, tagsError } from './tags';
import { runMutation } from './run-mutation';

interface FormProps {
  projectUid: string;
  experience: Experience;
  canEdit: boolean;
  onConflict: () => void;
}

function OverviewForm({ projectUid, experience, canEdit, onConflict }: FormProps) {
  const [name, setName] = useState(experience.name);
  const [description, setDescription] = useState(experience.description);
  const [tags, setTags] = useState<string[]>(experience.tags);
  const [touched, setTouched] = useState(false);
  const update = useUpdateExperience(projectUid, experience.uid);

  const nameError = touched && name.trim() === '' ? 'Name is required' : fieldErrorOf(update.error, 'name');
  const tagError = tagsError(tags) ?? fieldErrorOf(update.error, 'tags', ...tags.map((_, i) => `tags[${String(i)}]`));
  const dirty = name !== experience.name || description !== experience.description || tags.join('\n') !== experience.tags.join('\n');
  const { blocker } = useUnsavedChangesGuard(dirty);

  const save = () => {
    setTouched(true);
    if (name.trim() === '' || tagsError(tags) !== undefined) return;
    runMutation(update, 
      { name: name.trim(), description: description.trim(), tags, version: experience.version },
      {
        onSuccess: () => notifySuccess('General details saved'),
        onError: (error) => {
          if (conflictCurrent(error) !== undefined) {
            notifyError(new Error('Someone else changed this experience. The latest copy is loaded; please make your change again.'), 'Not saved: edit conflict');
            onConflict();
          } else notifyError(error);
        },
      },
    );
  };

  return (
    <Paper withBorder p="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Stack maw={640}>
          <TextInput label="Name" required readOnly={!canEdit} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} maxLength={200} />
          <Textarea label="Description" readOnly={!canEdit} autosize minRows={3} maxRows={8} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <TagsInput
            label="Tags"
            readOnly={!canEdit}
            description={`Up to ${String(MAX_TAGS)} tags; letters, digits, "-", "_" and ":"; stored lowercase. The edge filters experiences by tag.`}
            placeholder={tags.length < MAX_TAGS ? 'Type a tag and press Enter' : undefined}
            value={tags}
            onChange={(next) => setTags(normalizeTags(next))}
            error={tagError}
            clearable
            splitChars={[',', ' ']}
          />
          {canEdit && (
            <Group>
              <Button type="submit" loading={update.isPending} disabled={!dirty}>
                Save General Details
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      <UnsavedChangesModal blocker={blocker} />
    </Paper>
  );
}

export function OverviewTab() {
  const { projectUid, experience, reloadVersions, canEdit } = useExperiencePage();
  // Remounting on each server version resets the form to what was saved (or reloaded after a conflict).
  return <OverviewForm key={experience.version} projectUid={projectUid} experience={experience} canEdit={canEdit} onConflict={() => void reloadVersions()} />;
}
