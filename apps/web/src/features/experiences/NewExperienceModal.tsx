import { useState } from 'react';
import { Button, Group, Modal, Paper, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconArrowLeft, IconTargetArrow, IconTestPipe } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { Experience } from '@tailor/contract';
import { useCreateExperience } from '../../api/experiences';
import { fieldErrorOf, formErrorOf } from '../../api/form-errors';
import { notifySuccess } from '../../components/notify';
import { runMutation } from './run-mutation';

const typeDescriptions: Record<Experience['__type'], { title: string; text: string }> = {
  SEGMENTED: {
    title: 'Segmented',
    text: 'Craft tailored experiences for your audience based on demographics, referrers, and other factors.',
  },
  AB_TEST: {
    title: 'A/B Test',
    text: 'Create A/B tests to compare different content variants and measure their performance.',
  },
};

/** Two steps, as in Contentstack: pick the type, then name it; creating opens the new experience. */
export function NewExperienceModal({ projectUid, opened, onClose }: { projectUid: string; opened: boolean; onClose: () => void }) {
  const [step, setStep] = useState<'type' | 'details'>('type');
  const [type, setType] = useState<Experience['__type']>('SEGMENTED');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useCreateExperience(projectUid);
  const navigate = useNavigate();

  const close = () => {
    setStep('type');
    setName('');
    setDescription('');
    setTouched(false);
    create.reset();
    onClose();
  };
  const nameError = touched && name.trim() === '' ? 'Name is required' : fieldErrorOf(create.error, 'name');
  const submit = () => {
    setTouched(true);
    if (name.trim() === '') return;
    runMutation(create, 
      { name: name.trim(), description: description.trim(), __type: type },
      {
        onSuccess: (experience) => {
          notifySuccess(`Experience "${experience.name}" created`);
          close();
          void navigate(`/projects/${projectUid}/experiences/${experience.uid}/configuration`);
        },
      },
    );
  };
  const chosen = typeDescriptions[type];

  return (
    <Modal opened={opened} onClose={close} title={step === 'type' ? 'Select Experience Type' : `New ${chosen.title} Experience`} size="lg" centered>
      {step === 'type' ? (
        <Stack>
          <SegmentedControl
            fullWidth
            aria-label="Experience type"
            value={type}
            onChange={(value) => setType(value === 'AB_TEST' ? 'AB_TEST' : 'SEGMENTED')}
            data={[
              { value: 'SEGMENTED', label: 'Segmented' },
              { value: 'AB_TEST', label: 'A/B Test' },
            ]}
          />
          <Paper withBorder p="md" bg="var(--mantine-color-gray-0)">
            <Group wrap="nowrap" align="flex-start">
              {type === 'SEGMENTED' ? <IconTargetArrow size={28} stroke={1.5} /> : <IconTestPipe size={28} stroke={1.5} />}
              <div>
                <Text fw={600}>{chosen.title}</Text>
                <Text size="sm" c="dimmed">
                  {chosen.text}
                </Text>
              </div>
            </Group>
          </Paper>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={() => setStep('details')}>Next</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack>
            <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} maxLength={200} />
            <Textarea label="Description" autosize minRows={2} maxRows={6} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fieldErrorOf(create.error, 'description')} />
            {formErrorOf(create.error, ['name', 'description']) !== undefined && (
              <Text c="red" size="sm" role="alert">
                {formErrorOf(create.error, ['name', 'description'])}
              </Text>
            )}
            <Group justify="space-between">
              <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => setStep('type')}>
                Back
              </Button>
              <Group>
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" loading={create.isPending}>
                  Create
                </Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
