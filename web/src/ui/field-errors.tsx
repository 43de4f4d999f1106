import { ApiProblem } from '../api/problem';
import { ProblemAlert } from './problem-alert';

/**
 * A 400's field errors in words, next to their fields: `{ newPassword: 'New password' }` turns the
 * service's "newPassword is a common or breached password" into "New password is a common or breached
 * password".
 */
export function fieldErrors<F extends string>(error: unknown, labels: Record<F, string>): Partial<Record<F, string>> {
  const found: Partial<Record<F, string>> = {};
  if (!(error instanceof ApiProblem) || error.status !== 400) return found;
  for (const { field, message } of error.problem.errors ?? []) {
    const name = field.split('.')[0] as F;
    if (!(name in labels)) continue;
    const words = message.startsWith(field) ? `${labels[name]}${message.slice(field.length)}` : `${labels[name]}: ${message}`;
    found[name] = found[name] ? `${found[name]}; ${words}` : words;
  }
  return found;
}

/** The message under a field (the input names it with aria-describedby). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

/** The refusal as a whole, unless every part of it is shown beside a field already. */
export function FormProblem({ error, shown, title }: { error: unknown; shown: object; title: string }) {
  if (!error) return null;
  const fieldsOnly =
    error instanceof ApiProblem && error.status === 400 && Object.keys(shown).length > 0 && Object.keys(shown).length >= (error.problem.errors ?? []).length;
  if (fieldsOnly) {
    return (
      <p role="alert" className="alert">
        {title}: see the message under each field.
      </p>
    );
  }
  return <ProblemAlert error={error} title={title} />;
}
