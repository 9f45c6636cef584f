import { useId, useState, type FormEvent } from 'react';
import { Logo } from '../components/Logo';
import { AuthError, type CognitoAuth, type NewPasswordChallenge } from './cognito';

/**
 * Sign-in with Cognito (email + password), and the new-password form an administrator-created
 * user gets the first time. Loaded only when /app-config.json says auth.mode is "cognito".
 */
/** AuthError messages are written for the person signing in; anything else gets a plain line. */
export function authMessage(err: unknown): string {
  if (err instanceof AuthError) return err.message;
  return 'Signing in failed. Try again.';
}

export function SignIn({ auth, notice }: { auth: CognitoAuth; notice?: string | null }) {
  const [challenge, setChallenge] = useState<NewPasswordChallenge | null>(null);
  return (
    <main id="main" className="signin">
      <div className="signin-card">
        <p className="brand signin-brand">
          <Logo /> Collections
        </p>
        {challenge ? (
          <NewPasswordForm auth={auth} challenge={challenge} onCancel={() => setChallenge(null)} />
        ) : (
          <SignInForm auth={auth} onChallenge={setChallenge} notice={notice ?? null} />
        )}
      </div>
    </main>
  );
}

function SignInForm({
  auth,
  onChallenge,
  notice,
}: {
  auth: CognitoAuth;
  onChallenge: (c: NewPasswordChallenge) => void;
  notice: string | null;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await auth.signIn(email, password);
      if (result.kind === 'new-password-required') onChallenge(result.challenge);
      // signed-in: auth.onChange re-renders the app
    } catch (err) {
      setError(authMessage(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-title" noValidate>
      <h1 id="signin-title" tabIndex={-1}>
        Sign in
      </h1>
      {notice && !error && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="field">
        <label htmlFor={emailId}>Email</label>
        <input
          id={emailId}
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={error ? errorId : undefined}
          // biome-ignore lint/a11y/noAutofocus: the sign-in page has one task; its first field takes focus
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor={passwordId}>Password</label>
        <input
          id={passwordId}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={error ? errorId : undefined}
        />
      </div>
      {error && (
        <p id={errorId} className="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button primary wide" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function NewPasswordForm({ auth, challenge, onCancel }: { auth: CognitoAuth; challenge: NewPasswordChallenge; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordId = useId();
  const confirmId = useId();
  const hintId = useId();
  const errorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== confirm) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.completeNewPassword(challenge, password);
    } catch (err) {
      setError(authMessage(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="newpw-title" noValidate>
      <h1 id="newpw-title" tabIndex={-1}>
        Choose a new password
      </h1>
      <p className="muted">
        This is the first sign-in of <strong>{challenge.email}</strong>: replace the temporary password.
      </p>
      <div className="field">
        <label htmlFor={passwordId}>New password</label>
        <input
          id={passwordId}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}
          aria-invalid={!!error}
          // biome-ignore lint/a11y/noAutofocus: the sign-in page has one task; its first field takes focus
          autoFocus
        />
        <p id={hintId} className="hint">
          At least 12 characters, with upper- and lower-case letters, a number and a symbol.
        </p>
      </div>
      <div className="field">
        <label htmlFor={confirmId}>Repeat the new password</label>
        <input
          id={confirmId}
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={!!error}
        />
      </div>
      {error && (
        <p id={errorId} className="notice error" role="alert">
          {error}
        </p>
      )}
      <div className="action-row">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Set password and sign in'}
        </button>
        <button type="button" className="button ghost" onClick={onCancel} disabled={busy}>
          Back
        </button>
      </div>
    </form>
  );
}
