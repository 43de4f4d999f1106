import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Location } from '../../api/client';
import type { Role } from '../../auth/session';
import { ROLE_LABEL } from '../../roles';
import { FieldError, fieldErrors, FormProblem } from '../../ui/field-errors';
import { ModalDialog } from '../../ui/modal';
import { ProblemAlert } from '../../ui/problem-alert';
import { ClinicChecks } from './new-staff-form';
import { STAFF_KEY, type StaffMember } from './staff-data';

const FIELDS = { name: 'Name', role: 'Role', locationIds: 'Clinics', active: 'Active' };

/** One account: name, role, clinics and the active flag (PATCH /api/staff/{id}), and the resets. */
export function StaffEditor({ member, clinics, onClose }: { member: StaffMember; clinics: Location[]; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: member.name, role: member.role as Role, locationIds: member.locationIds, active: member.active });
  const changed = () => {
    const sameClinics = [...form.locationIds].sort().join() === [...member.locationIds].sort().join();
    return {
      ...(form.name.trim() !== member.name ? { name: form.name.trim() } : {}),
      ...(form.role !== member.role ? { role: form.role } : {}),
      ...(sameClinics ? {} : { locationIds: form.locationIds }),
      ...(form.active !== member.active ? { active: form.active } : {}),
    };
  };
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PATCH('/api/staff/{id}', { params: { path: { id: member.id } }, body: changed() })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: STAFF_KEY });
      onClose();
    },
  });
  const resetPassword = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/staff/{id}/password-reset', { params: { path: { id: member.id } } })),
  });
  const resetMfa = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/staff/{id}/mfa-reset', { params: { path: { id: member.id } } })),
  });
  const errors = fieldErrors(save.error, FIELDS);
  return (
    <ModalDialog title={`Edit ${member.name}`} isOpen onClose={onClose}>
      <form
        className="form"
        aria-label={`Account of ${member.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <p>{member.email}</p>
        <label className="field">
          <span>Name</span>
          <input
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'edit-name-error' : undefined}
          />
        </label>
        <FieldError id="edit-name-error" message={errors.name} />
        <label className="field">
          <span>Role</span>
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={errors.role ? 'edit-role-error' : undefined}
          >
            {(Object.keys(ROLE_LABEL) as Role[]).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </label>
        <FieldError id="edit-role-error" message={errors.role} />
        <ClinicChecks
          clinics={clinics}
          legend="Works at"
          value={form.locationIds}
          onChange={(locationIds) => setForm({ ...form, locationIds })}
          error={errors.locationIds}
          errorId="edit-locationIds-error"
        />
        <label className="check">
          <input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} /> Active (can sign in)
        </label>
        <p className="hint">A change applies to their very next request; deactivating ends their sessions at once.</p>
        <FormProblem error={save.error} shown={errors} title="Not saved" />
        <div className="actions">
          <Button type="submit" className="btn btn-primary" isDisabled={save.isPending || Object.keys(changed()).length === 0}>
            Save changes
          </Button>
          <Button className="btn" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
      <section aria-label="Resets" className="form">
        <div className="actions">
          <Button className="btn" onPress={() => resetPassword.mutate()} isDisabled={resetPassword.isPending}>
            Reset password
          </Button>
          <Button className="btn" onPress={() => resetMfa.mutate()} isDisabled={resetMfa.isPending}>
            Reset two-step sign-in
          </Button>
        </div>
        {resetPassword.data && (
          <p role="status" className="notice">
            Temporary password (tell them in person; they choose their own at the next sign-in):{' '}
            <span className="secret">{resetPassword.data.temporaryPassword}</span>
          </p>
        )}
        {resetMfa.isSuccess && (
          <p role="status" className="notice">
            Two-step sign-in removed: they set it up again after their next sign-in.
          </p>
        )}
        <ProblemAlert error={resetPassword.error ?? resetMfa.error} title="Not reset" />
      </section>
    </ModalDialog>
  );
}
