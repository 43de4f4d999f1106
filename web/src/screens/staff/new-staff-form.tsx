import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, idempotencyKey, unwrap, type Location } from '../../api/client';
import type { Role } from '../../auth/session';
import { ROLE_LABEL } from '../../roles';
import { FieldError, fieldErrors, FormProblem } from '../../ui/field-errors';
import { STAFF_KEY } from './staff-data';

const FIELDS = { name: 'Name', email: 'Email', role: 'Role', password: 'Temporary password', locationIds: 'Clinics' };

/** The clinics someone works at, as checkboxes. */
export function ClinicChecks({
  clinics,
  value,
  onChange,
  legend,
  error,
  errorId,
}: {
  clinics: Location[];
  value: string[];
  onChange: (ids: string[]) => void;
  legend: string;
  error?: string;
  errorId: string;
}) {
  return (
    <fieldset className="fieldset" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {clinics.map((c) => (
        <label key={c.id} className="check">
          <input
            type="checkbox"
            checked={value.includes(c.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((id) => id !== c.id))}
          />{' '}
          {c.name}
        </label>
      ))}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}

/**
 * Adds an account. Without a temporary password typed here, the service makes one (POST
 * /api/staff/{id}/password-reset); either way the person signs in with it and must choose their own.
 */
export function NewStaffForm({ clinics }: { clinics: Location[] }) {
  const queryClient = useQueryClient();
  const blank = { name: '', email: '', role: 'nurse' as Role, password: '', locationIds: [] as string[] };
  const [form, setForm] = useState(blank);
  const [key, setKey] = useState(idempotencyKey);
  const create = useMutation({
    mutationFn: async () => {
      const created = unwrap(
        await api.POST('/api/staff', {
          headers: { 'Idempotency-Key': key },
          body: {
            name: form.name.trim(),
            email: form.email.trim(),
            role: form.role,
            locationIds: form.locationIds,
            ...(form.password ? { password: form.password } : {}),
          },
        }),
      );
      const made = form.password ? null : unwrap(await api.POST('/api/staff/{id}/password-reset', { params: { path: { id: created.id } } })).temporaryPassword;
      return { created, temporaryPassword: made };
    },
    onSuccess: async () => {
      setForm(blank);
      setKey(idempotencyKey());
      await queryClient.invalidateQueries({ queryKey: STAFF_KEY });
    },
  });
  const errors = fieldErrors(create.error, FIELDS);
  const described = (field: keyof typeof FIELDS) => (errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `new-staff-${field}-error` } : {});
  return (
    <section className="panel" aria-labelledby="new-staff-heading">
      <h2 id="new-staff-heading">Add a staff member</h2>
      <form
        className="form"
        aria-labelledby="new-staff-heading"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="grid-2">
          <div>
            <label className="field">
              <span>Name</span>
              <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" {...described('name')} />
            </label>
            <FieldError id="new-staff-name-error" message={errors.name} />
          </div>
          <div>
            <label className="field">
              <span>Email</span>
              <input
                type="email"
                required
                value={form.email}
                onChange={(e) => setForm({ ...form, email: e.target.value })}
                autoComplete="off"
                {...described('email')}
              />
            </label>
            <FieldError id="new-staff-email-error" message={errors.email} />
          </div>
          <div>
            <label className="field">
              <span>Role</span>
              <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} {...described('role')}>
                {(Object.keys(ROLE_LABEL) as Role[]).map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABEL[r]}
                  </option>
                ))}
              </select>
            </label>
            <FieldError id="new-staff-role-error" message={errors.role} />
          </div>
          <div>
            <label className="field">
              <span>Temporary password (empty: the service makes one)</span>
              <input
                type="password"
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
                autoComplete="new-password"
                {...described('password')}
              />
            </label>
            <FieldError id="new-staff-password-error" message={errors.password} />
          </div>
        </div>
        <ClinicChecks
          clinics={clinics}
          legend="Works at"
          value={form.locationIds}
          onChange={(locationIds) => setForm({ ...form, locationIds })}
          error={errors.locationIds}
          errorId="new-staff-locationIds-error"
        />
        <FormProblem error={create.error} shown={errors} title="Not added" />
        {create.data && (
          <p role="status" className="notice">
            {create.data.created.name} was added.
            {create.data.temporaryPassword && (
              <>
                {' '}
                Temporary password (tell them in person; they choose their own at the first sign-in):{' '}
                <span className="secret">{create.data.temporaryPassword}</span>
              </>
            )}
          </p>
        )}
        <Button type="submit" className="btn btn-primary" isDisabled={create.isPending}>
          Add staff member
        </Button>
      </form>
    </section>
  );
}
