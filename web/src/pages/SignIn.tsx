import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useCity } from '../api/queries';
import { useSession } from '../auth/session';
import { usePageTitle } from '../lib/usePageTitle';

export function SignInPage() {
  const { user, expired, signIn } = useSession();
  const city = useCity();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: string; locked: boolean } | null>(null);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);
  usePageTitle('Sign in');

  useEffect(() => { userRef.current?.focus(); }, []);

  if (user) return <Navigate to={from && from !== '/sign-in' ? from : '/'} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim()) { setError({ message: 'Enter your user name.', field: 'username', locked: false }); userRef.current?.focus(); return; }
    if (!password) { setError({ message: 'Enter your password.', field: 'password', locked: false }); passRef.current?.focus(); return; }
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      navigate(from && from !== '/sign-in' ? from : '/', { replace: true });
    } catch (err) {
      const message = isApiError(err) ? err.message : 'Sign-in failed. Try again.';
      const field = isApiError(err) ? err.field : '';
      setError({ message, field, locked: isApiError(err) && err.status === 423 });
      setPassword('');
      passRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  // Field errors are announced too (role=alert), since focus goes back to the password.
  const fieldErr = (f: string) => (error && error.field === f ? <span role="alert" data-testid="signin-error">{error.message}</span> : undefined);
  const formErr = error && error.field !== 'username' && error.field !== 'password' ? error : null;

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="main">
        <form onSubmit={submit} noValidate aria-labelledby="signin-title">
          <Stack gap="md">
            <div>
              <Text size="sm" c="dimmed" data-testid="city-name">{city.data?.name ?? '\u00a0'}</Text>
              <Title order={1} size="h3" id="signin-title">Sign in to civicdesk</Title>
            </div>
            {expired && !error && (
              <Alert color="yellow" variant="light" role="status">Your session ended. Sign in again to continue.</Alert>
            )}
            {formErr && (
              <Alert color="red" variant="light" role="alert" title={formErr.locked ? 'Account locked' : 'Not signed in'} data-testid="signin-error">
                {formErr.message}
              </Alert>
            )}
            <TextInput
              ref={userRef}
              label="User name"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              error={fieldErr('username')}
              required
            />
            <PasswordInput
              ref={passRef}
              label="Password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldErr('password')}
              required
            />
            <Button type="submit" loading={busy} fullWidth>Sign in</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
