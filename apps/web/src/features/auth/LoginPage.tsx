import type { FormEvent } from 'react';
import { useEffect, useState } from 'react';
import { Alert, Button, PasswordInput, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { formErrorOf } from '../../api/form-errors';
import { useCurrentUser, useForgetSession, useLogin } from '../../api/use-session';
import { isLoggedOutState } from '../../app/auth-context';
import { safeReturnPath } from '../../app/return-path';
import { AuthCard } from '../../components/AuthCard';

export function LoginPage() {
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnPath(searchParams.get('returnTo'));
  const navigate = useNavigate();
  const currentUser = useCurrentUser();
  const login = useLogin();
  const loggedOut = isLoggedOutState(useLocation().state);
  const forgetSession = useForgetSession();
  // Both dependencies are stable, so this runs on arrival only, never after the next login.
  useEffect(() => {
    if (loggedOut) forgetSession();
  }, [loggedOut, forgetSession]);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (currentUser.data && !loggedOut) return <Navigate to={returnTo} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: () => void navigate(returnTo, { replace: true }) });
  };

  // Field-level validation errors are rare here (both fields are required in the browser), so
  // everything the server says is shown in one place above the button.
  const error = formErrorOf(login.error, []);

  return (
    <AuthCard title="Log in" subtitle="Log in to manage your Personalize projects.">
      <form onSubmit={onSubmit}>
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          mb="sm"
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          mb="md"
        />
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} mb="md" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" fullWidth loading={login.isPending}>
          Log in
        </Button>
      </form>
    </AuthCard>
  );
}
