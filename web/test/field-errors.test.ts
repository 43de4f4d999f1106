import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../src/api/problem';
import { fieldErrors } from '../src/ui/field-errors';

describe('field errors in words', () => {
  it("puts the field's label in place of its name, and ignores fields the form does not have", () => {
    const error = new ApiProblem({
      status: 400,
      errors: [
        { field: 'newPassword', message: 'newPassword is a common or breached password' },
        { field: 'locationIds.0', message: 'each value in locationIds must be a UUID' },
        { field: 'somethingElse', message: 'somethingElse is wrong' },
      ],
    });
    expect(fieldErrors(error, { newPassword: 'New password', locationIds: 'Clinics' })).toEqual({
      newPassword: 'New password is a common or breached password',
      locationIds: 'Clinics: each value in locationIds must be a UUID',
    });
  });

  it('has nothing to say about a refusal that is not a 400', () => {
    const error = new ApiProblem({ status: 409, rule: 'last-admin', errors: [{ field: 'role', message: 'role x' }] });
    expect(fieldErrors(error, { role: 'Role' })).toEqual({});
    expect(fieldErrors(new Error('network'), { role: 'Role' })).toEqual({});
  });
});
