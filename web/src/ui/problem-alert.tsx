import { ApiProblem, problemLines, ruleInWords } from '../api/problem';

/** A refusal in the service's own words: the rule, the detail, and every unmet condition or conflict. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  if (!(error instanceof ApiProblem)) {
    return (
      <div role="alert" className="alert">
        <p className="alert-title">{title ?? 'Something went wrong'}</p>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>
    );
  }
  const { problem } = error;
  const lines = problemLines(problem);
  return (
    <div role="alert" className="alert" data-rule={problem.rule}>
      <p className="alert-title">
        {title ??
          (problem.type?.endsWith('/other-clinic')
            ? 'Not your clinic'
            : problem.status === 409
              ? 'Refused'
              : problem.status === 403
                ? 'Not allowed'
                : problem.status === 400
                  ? 'Please check the form'
                  : 'Could not do that')}
        {problem.rule ? `: ${ruleInWords(problem.rule)}` : ''}
      </p>
      {lines.length === 1 ? (
        <p>{lines[0]}</p>
      ) : (
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
