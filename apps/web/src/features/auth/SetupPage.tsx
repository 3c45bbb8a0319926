import type { FormEvent } from 'react';
import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { fieldErrorOf, formErrorOf } from '../../api/form-errors';
import { useSetup } from '../../api/use-session';
import { AuthCard } from '../../components/AuthCard';
import { minPasswordLength } from './password';

const knownPaths = ['organizationName', 'user.firstName', 'user.lastName', 'user.email', 'user.password'];

export function SetupPage() {
  const navigate = useNavigate();
  const setup = useSetup();
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', password: '', organizationName: '' });
  const [passwordTooShort, setPasswordTooShort] = useState(false);
  // Read the value now: the updater runs later, when the event's currentTarget is already null.
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [key]: value }));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const tooShort = form.password.length < minPasswordLength;
    setPasswordTooShort(tooShort);
    if (tooShort) return;
    setup.mutate(
      {
        organizationName: form.organizationName.trim(),
        user: {
          email: form.email.trim(),
          password: form.password,
          firstName: form.firstName.trim(),
          lastName: form.lastName.trim(),
        },
      },
      { onSuccess: () => void navigate('/', { replace: true }) },
    );
  };

  const err = (path: string) => fieldErrorOf(setup.error, path);
  const formError = formErrorOf(setup.error, knownPaths);

  return (
    <AuthCard
      title="Create the owner account"
      subtitle="Welcome to Tailor. This first account owns the organization and can create projects and invite others."
    >
      <form onSubmit={onSubmit}>
        <Group grow align="flex-start" mb="sm">
          <TextInput label="First name" required autoComplete="given-name" value={form.firstName} onChange={set('firstName')} error={err('user.firstName')} />
          <TextInput label="Last name" required autoComplete="family-name" value={form.lastName} onChange={set('lastName')} error={err('user.lastName')} />
        </Group>
        <TextInput label="Email" type="email" required autoComplete="username" value={form.email} onChange={set('email')} error={err('user.email')} mb="sm" />
        <PasswordInput
          label="Password"
          required
          autoComplete="new-password"
          description={`At least ${minPasswordLength} characters`}
          value={form.password}
          onChange={set('password')}
          error={passwordTooShort ? `Use at least ${minPasswordLength} characters` : err('user.password')}
          mb="sm"
        />
        <TextInput label="Organization name" required value={form.organizationName} onChange={set('organizationName')} error={err('organizationName')} mb="md" />
        {formError && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} mb="md" role="alert">
            {formError}
          </Alert>
        )}
        <Button type="submit" fullWidth loading={setup.isPending}>
          Create account
        </Button>
      </form>
    </AuthCard>
  );
}
