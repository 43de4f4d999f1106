import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { useLocations } from '../../data';
import { ROLE_LABEL } from '../../roles';
import { ProblemAlert } from '../../ui/problem-alert';
import { NewStaffForm } from './new-staff-form';
import { clinicNames, STAFF_KEY, type StaffMember } from './staff-data';
import { StaffEditor } from './staff-editor';

/**
 * Admin: everyone's account. Add someone (role, clinics, a temporary password), change a role or clinics,
 * deactivate or reactivate, reset a password or a second factor. A change applies to the person's very
 * next request (PATCH /api/staff/{id}): a deactivated person's open console signs out.
 */
export default function StaffAdmin() {
  const locations = useLocations();
  const clinics = locations.data ?? [];
  const [clinicFilter, setClinicFilter] = useState('');
  const [editing, setEditing] = useState<StaffMember | null>(null);
  const staff = useQuery({
    queryKey: [...STAFF_KEY, clinicFilter],
    queryFn: async () => unwrap(await api.GET('/api/staff', { params: { query: clinicFilter ? { locationId: clinicFilter } : {} } })),
  });
  return (
    <main id="main" className="screen admin">
      <h1>Staff</h1>
      <section className="panel" aria-labelledby="staff-list-heading">
        <h2 id="staff-list-heading">Accounts</h2>
        <div className="toolbar">
          <label className="field-inline">
            <span>Clinic</span>
            <select value={clinicFilter} onChange={(e) => setClinicFilter(e.target.value)}>
              <option value="">All clinics</option>
              {clinics.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ProblemAlert error={staff.error} title="Staff not loaded" />
        <table className="table" aria-busy={staff.isLoading}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Clinics</th>
              <th scope="col">Active</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(staff.data ?? []).map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.name}</th>
                <td>{m.email}</td>
                <td>{ROLE_LABEL[m.role]}</td>
                <td>{clinicNames(m, clinics)}</td>
                <td>{m.active ? 'yes' : 'no'}</td>
                <td>
                  <Button className="btn" aria-label={`Edit ${m.name}`} onPress={() => setEditing(m)}>
                    Edit
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <NewStaffForm clinics={clinics} />
      {editing && <StaffEditor key={editing.id} member={editing} clinics={clinics} onClose={() => setEditing(null)} />}
    </main>
  );
}
