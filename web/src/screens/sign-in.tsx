import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { IDLE_TIMEOUT_MINUTES, LoginRefused, signIn, signOutReason } from '../auth/session';
import { navigate } from '../router';
import { startPath } from '../roles';

const REASON_TEXT = {
  idle: `You were signed out after ${IDLE_TIMEOUT_MINUTES} minutes without activity. Sign in again to continue.`,
  expired: 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You have signed out.',
};

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needsOtp, setNeedsOtp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reason = signOutReason();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(email.trim(), password, needsOtp ? otp.trim() : undefined);
      navigate(startPath(user.role), { replace: true });
    } catch (e) {
      if (e instanceof LoginRefused && e.needsOtp) setNeedsOtp(true);
      setError(e instanceof Error ? e.message : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Clinic console</h1>
      {reason && (
        <p className="notice" role="status">
          {REASON_TEXT[reason]}
        </p>
      )}
      <form onSubmit={submit} className="sign-in-form" aria-describedby={error ? 'sign-in-error' : undefined}>
        <label className="field">
          <span>Email</span>
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {needsOtp && (
          <label className="field">
            <span>One-time code from your authenticator app</span>
            <input inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required value={otp} onChange={(e) => setOtp(e.target.value)} />
          </label>
        )}
        {error && (
          <p id="sign-in-error" role="alert" className="alert">
            {error}
          </p>
        )}
        <Button type="submit" className="btn btn-primary" isDisabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
