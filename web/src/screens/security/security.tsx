import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { reloadAccount, type SessionUser } from '../../auth/session';
import { useSessionUser } from '../../auth/use-session';
import { FieldError, fieldErrors, FormProblem } from '../../ui/field-errors';
import { QrCode } from '../../ui/qr-code';

const RESTRICTION_TEXT = {
  'password-change-required': 'An administrator reset your password. Choose a new one to continue.',
  'mfa-setup-required': 'Your role signs in with a second factor. Set up two-step sign-in to continue.',
};

/** One's own account: two-step sign-in (TOTP) and the password. */
export default function Security() {
  const user = useSessionUser();
  if (!user) return null;
  return (
    <main id="main" className="screen">
      <h1>Security</h1>
      {user.restriction && (
        <p className="notice" role="status">
          {RESTRICTION_TEXT[user.restriction]}
        </p>
      )}
      {user.restriction !== 'password-change-required' && <TwoStep user={user} />}
      {user.restriction !== 'mfa-setup-required' && <PasswordChange />}
    </main>
  );
}

function TwoStep({ user }: { user: SessionUser }) {
  const [otp, setOtp] = useState('');
  const setup = useMutation({ mutationFn: async () => unwrap(await api.POST('/api/auth/mfa/setup')) });
  const confirm = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/auth/mfa/confirm', { body: { otp: otp.trim() } })),
    onSuccess: async () => {
      setup.reset();
      setOtp('');
      await reloadAccount();
    },
  });
  const errors = fieldErrors(confirm.error, { otp: 'The one-time code' });
  const secret = setup.data ? new URL(setup.data.otpauthUrl).searchParams.get('secret') : null;
  return (
    <section className="panel" aria-labelledby="two-step-heading">
      <h2 id="two-step-heading">Two-step sign-in</h2>
      {user.mfaEnabled ? (
        <p role="status">
          Two-step sign-in is on: signing in asks for the code of your authenticator app. To move it to a new phone, ask an administrator to reset it.
        </p>
      ) : !setup.data ? (
        <>
          <p>Off. With it on, signing in also asks for a 6-digit code from an authenticator app on your phone.</p>
          <FormProblem error={setup.error} shown={{}} title="Could not start the set-up" />
          <Button className="btn btn-primary" onPress={() => setup.mutate()} isDisabled={setup.isPending}>
            Set up two-step sign-in
          </Button>
        </>
      ) : (
        <form
          className="form"
          aria-label="Confirm two-step sign-in"
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate();
          }}
        >
          <p>Scan this code with your authenticator app, or type the key below into it. It is shown this once.</p>
          <QrCode text={setup.data.otpauthUrl} label="QR code for your authenticator app" />
          <p>
            Key: <span className="secret">{secret}</span>
          </p>
          <label className="field">
            <span>One-time code from the app</span>
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              aria-invalid={errors.otp ? true : undefined}
              aria-describedby={errors.otp ? 'otp-error' : undefined}
            />
          </label>
          <FieldError id="otp-error" message={errors.otp} />
          <FormProblem error={confirm.error} shown={errors} title="Not turned on" />
          <Button type="submit" className="btn btn-primary" isDisabled={confirm.isPending}>
            Turn on two-step sign-in
          </Button>
        </form>
      )}
    </section>
  );
}

const PASSWORD_FIELDS = { currentPassword: 'Current password', newPassword: 'New password' };

function PasswordChange() {
  const blank = { currentPassword: '', newPassword: '', repeat: '' };
  const [form, setForm] = useState(blank);
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/auth/password', { body: { currentPassword: form.currentPassword, newPassword: form.newPassword } })),
    onSuccess: async () => {
      setForm(blank);
      await reloadAccount();
    },
  });
  const errors = fieldErrors(change.error, PASSWORD_FIELDS);
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form
        className="form"
        aria-label="Change password"
        onSubmit={(e) => {
          e.preventDefault();
          setMismatch(form.newPassword !== form.repeat);
          if (form.newPassword === form.repeat) change.mutate();
        }}
      >
        <p>At least 12 characters; a few unrelated words make a good one. Common or leaked passwords and your email name are refused.</p>
        <label className="field">
          <span>Current password</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={form.currentPassword}
            onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
            aria-invalid={errors.currentPassword ? true : undefined}
            aria-describedby={errors.currentPassword ? 'current-password-error' : undefined}
          />
        </label>
        <FieldError id="current-password-error" message={errors.currentPassword} />
        <label className="field">
          <span>New password</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            value={form.newPassword}
            onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
            aria-invalid={errors.newPassword ? true : undefined}
            aria-describedby={errors.newPassword ? 'new-password-error' : undefined}
          />
        </label>
        <FieldError id="new-password-error" message={errors.newPassword} />
        <label className="field">
          <span>New password again</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            value={form.repeat}
            onChange={(e) => setForm({ ...form, repeat: e.target.value })}
            aria-invalid={mismatch ? true : undefined}
            aria-describedby={mismatch ? 'repeat-error' : undefined}
          />
        </label>
        <FieldError id="repeat-error" message={mismatch ? 'The two new passwords differ.' : undefined} />
        <FormProblem error={change.error} shown={errors} title="Password not changed" />
        {change.isSuccess && <p role="status">Password changed. Your other sessions have ended.</p>}
        <Button type="submit" className="btn btn-primary" isDisabled={change.isPending}>
          Change password
        </Button>
      </form>
    </section>
  );
}
