import { describe, expect, it } from 'vitest';
import { ApiProblem, problemLines, ruleInWords, toProblem } from '../src/api/problem';

describe('problems in words', () => {
  it('names the rule as words', () => {
    expect(ruleInWords('nurse-capacity')).toBe('Nurse capacity');
    expect(ruleInWords('no_show-too-early')).toBe('No show too early');
  });

  it('lists the detail, then every unmet condition and conflict once, as sentences', () => {
    const lines = problemLines({
      status: 409,
      rule: 'observation-minimum',
      detail: 'Spravato patients stay at least 120 minutes after the last device.',
      unmet: [
        { rule: 'observation-minimum', detail: 'Spravato patients stay at least 120 minutes after the last device.' },
        { rule: 'ride-home', detail: 'The patient may not drive today: confirm a ride home (rideConfirmed: true).' },
      ],
      conflicts: [{ reason: 'the patient is booked then' }],
    });
    expect(lines).toEqual([
      'Spravato patients stay at least 120 minutes after the last device.',
      'The patient may not drive today: confirm a ride home (rideConfirmed: true).',
      'The patient is booked then',
    ]);
  });

  it('adds field errors the detail does not already say, and missing fields it does not name', () => {
    expect(
      problemLines({
        status: 400,
        detail: 'phone: must be E.164',
        errors: [
          { field: 'phone', message: 'must be E.164' },
          { field: 'dateOfBirth', message: 'in the future' },
        ],
      }),
    ).toEqual(['phone: must be E.164', 'dateOfBirth: in the future']);
    expect(problemLines({ status: 409, detail: 'missing: readyToLeaveAt.', missing: ['readyToLeaveAt', 'sedation'] })).toEqual([
      'missing: readyToLeaveAt.',
      'Missing: sedation',
    ]);
  });

  it('falls back to the title, and wraps a body that is no problem document', () => {
    expect(problemLines({ status: 503, title: 'Service Unavailable' })).toEqual(['Service Unavailable']);
    const error = new ApiProblem(toProblem(502, 'Bad gateway from the proxy'));
    expect(error.status).toBe(502);
    expect(error.message).toBe('Bad gateway from the proxy');
  });
});
