import type { FormEvent } from 'react';
import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/api-error';
import { fieldErrorOf, formErrorOf } from '../../api/form-errors';
import type { Invitation } from '../../api/types';
import { useAcceptInvitation, useInvitation } from '../../api/use-invitations';
import { AuthCard } from '../../components/AuthCard';
import { FullPageLoader } from '../../components/FullPageLoader';
import { minPasswordLength } from './password';

const knownPaths = ['user.firstName', 'user.lastName', 'user.password'];

function AcceptForm({ token, invitation }: { token: string; invitation: Invitation }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');
  const [passwordTooShort, setPasswordTooShort] = useState(false);
  const newAccount = !invitation.accountExists;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Existing accounts keep whatever password they have; only new ones must meet the rule.
    const tooShort = newAccount && password.length < minPasswordLength;
    setPasswordTooShort(tooShort);
    if (tooShort) return;
    const body = newAccount
      ? { user: { firstName: firstName.trim(), lastName: lastName.trim(), password } }
      : { user: { password } };
    accept.mutate(body, {
      onSuccess: (answer) => void navigate(`/projects/${answer.projectUid}`, { replace: true }),
    });
  };

  const err = (path: string) => fieldErrorOf(accept.error, path);
  const formError = formErrorOf(accept.error, knownPaths);

  return (
    <form onSubmit={onSubmit}>
      <TextInput label="Email" value={invitation.email} readOnly mb="sm" />
      {newAccount && (
        <Group grow align="flex-start" mb="sm">
          <TextInput label="First name" required autoComplete="given-name" value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} error={err('user.firstName')} />
          <TextInput label="Last name" required autoComplete="family-name" value={lastName} onChange={(e) => setLastName(e.currentTarget.value)} error={err('user.lastName')} />
        </Group>
      )}
      <PasswordInput
        label="Password"
        required
        autoComplete={newAccount ? 'new-password' : 'current-password'}
        description={newAccount ? `At least ${minPasswordLength} characters` : 'The password of your existing account'}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={passwordTooShort ? `Use at least ${minPasswordLength} characters` : err('user.password')}
        mb="md"
      />
      {formError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} mb="md" role="alert">
          {formError}
        </Alert>
      )}
      <Button type="submit" fullWidth loading={accept.isPending}>
        Accept invitation
      </Button>
    </form>
  );
}

export function InvitationPage() {
  const { token = '' } = useParams();
  const invitation = useInvitation(token);

  if (invitation.isPending) return <FullPageLoader />;
  if (invitation.isError) {
    const gone = isApiError(invitation.error) && [404, 409, 410].includes(invitation.error.status);
    return (
      <AuthCard title="Invitation">
        <Alert color={gone ? 'gray' : 'red'} icon={<IconAlertCircle size={18} />}>
          {gone
            ? 'This invitation link is no longer valid. It may have been used or revoked; ask the project Owner for a new one.'
            : invitation.error.message}
        </Alert>
        <Text size="sm">
          <Link to="/login">Go to login</Link>
        </Text>
      </AuthCard>
    );
  }

  const { data } = invitation;
  return (
    <AuthCard
      title={`Join ${data.projectName}`}
      subtitle={
        <>
          {data.invitedBy} invited you to the Personalize project <b>{data.projectName}</b>.{' '}
          {data.accountExists ? 'Enter your password to accept.' : 'Create your account to accept.'}
        </>
      }
    >
      <AcceptForm token={token} invitation={data} />
    </AuthCard>
  );
}
