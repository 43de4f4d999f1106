import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, idempotencyKey, unwrap, type Location, type Schemas } from '../../api/client';
import type { Role } from '../../auth/session';
import { keys, useClinic, useHours } from '../../data';
import { ROLE_LABEL } from '../../roles';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { addDays, clinicDate, longDate } from '../../time';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Admin: a clinic's opening hours, closures and staff. (Deactivating someone and changing a role or
 * clinics come with the v2 PATCH /api/staff/{id}.)
 */
export default function ClinicAdmin() {
  const { clinic, clinics, isLoading } = useClinic();
  if (!clinic) {
    return (
      <main id="main" className="screen" aria-busy={isLoading}>
        <h1>Clinic settings</h1>
        <p>{isLoading ? 'Loading clinics…' : 'No clinic.'}</p>
      </main>
    );
  }
  return (
    <main id="main" className="screen admin">
      <h1>
        Clinic settings <span className="subtitle">{clinic.name}</span>
      </h1>
      <ClinicDayBar clinics={clinics} clinic={clinic} />
      <HoursEditor key={`hours-${clinic.id}`} clinic={clinic} />
      <Closures key={`closures-${clinic.id}`} clinic={clinic} />
      <Staff key={`staff-${clinic.id}`} clinic={clinic} clinics={clinics} />
    </main>
  );
}

type Day = { open: boolean; opens: string; closes: string };

function HoursEditor({ clinic }: { clinic: Location }) {
  const queryClient = useQueryClient();
  const hours = useHours(clinic.id);
  const [edited, setEdited] = useState<Day[] | null>(null);
  const days: Day[] =
    edited ??
    WEEKDAYS.map((_, i) => {
      const h = hours.data?.find((x) => x.weekday === i + 1);
      return h ? { open: true, opens: h.opens, closes: h.closes } : { open: false, opens: '08:00', closes: '17:00' };
    });
  const set = (i: number, change: Partial<Day>) => setEdited(days.map((d, j) => (j === i ? { ...d, ...change } : d)));
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/locations/{id}/hours', {
          params: { path: { id: clinic.id } },
          body: days.flatMap((d, i) => (d.open ? [{ weekday: i + 1, opens: d.opens, closes: d.closes }] : [])),
        }),
      ),
    onSuccess: async () => {
      setEdited(null);
      await queryClient.invalidateQueries({ queryKey: keys.hours(clinic.id) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="hours-heading">
      <h2 id="hours-heading">Opening hours</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Open</th>
            <th scope="col">Opens</th>
            <th scope="col">Closes</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={WEEKDAYS[i]}>
              <th scope="row">{WEEKDAYS[i]}</th>
              <td>
                <input type="checkbox" aria-label={`Open on ${WEEKDAYS[i]}`} checked={d.open} onChange={(e) => set(i, { open: e.target.checked })} />
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${WEEKDAYS[i]} opens`}
                  disabled={!d.open}
                  required
                  value={d.opens}
                  onChange={(e) => set(i, { opens: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${WEEKDAYS[i]} closes`}
                  disabled={!d.open}
                  required
                  value={d.closes}
                  onChange={(e) => set(i, { closes: e.target.value })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ProblemAlert error={save.error} title={save.error ? 'Hours not saved' : undefined} />
      {save.isSuccess && !edited && (
        <p role="status" className="notice">
          Opening hours saved.
        </p>
      )}
      <Button type="submit" className="btn btn-primary" isDisabled={!edited || save.isPending}>
        Save opening hours
      </Button>
    </form>
  );
}

function Closures({ clinic }: { clinic: Location }) {
  const queryClient = useQueryClient();
  const today = clinicDate(new Date(), clinic.timezone);
  const until = addDays(today, 366);
  const closures = useQuery({
    queryKey: ['closures-list', clinic.id, today],
    queryFn: async () => unwrap(await api.GET('/api/locations/{id}/closures', { params: { path: { id: clinic.id }, query: { from: today, to: until } } })),
  });
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ predicate: (q) => ['closures', 'closures-list'].includes(String(q.queryKey[0])) });
  const add = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/locations/{id}/closures', { params: { path: { id: clinic.id } }, body: { date, reason: reason.trim() } })),
    onSuccess: async () => {
      setDate('');
      setReason('');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: async (day: string) => unwrap(await api.DELETE('/api/locations/{id}/closures/{date}', { params: { path: { id: clinic.id, date: day } } })),
    onSuccess: refresh,
  });
  return (
    <section className="panel" aria-labelledby="closures-heading">
      <h2 id="closures-heading">Closures and holidays (next 12 months)</h2>
      {closures.data?.length === 0 && <p>None.</p>}
      <ul className="plain-list">
        {(closures.data ?? []).map((c) => (
          <li key={c.date} className="closure-row">
            {longDate(c.date)}: {c.reason}{' '}
            <Button className="btn btn-quiet" aria-label={`Remove the closure on ${longDate(c.date)}`} onPress={() => remove.mutate(c.date)}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <ProblemAlert error={remove.error} />
      <form
        className="form grid-2"
        aria-label="Add a closure"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <label className="field">
          <span>Closed on</span>
          <input type="date" required min={today} value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          <span>Reason</span>
          <input required maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Staff training day" />
        </label>
        <div>
          <ProblemAlert error={add.error} title={add.error ? 'Closure not added' : undefined} />
          <Button type="submit" className="btn btn-primary" isDisabled={add.isPending}>
            Add closure
          </Button>
        </div>
      </form>
    </section>
  );
}

type StaffMember = Schemas['StaffResponse'];

function Staff({ clinic, clinics }: { clinic: Location; clinics: Location[] }) {
  const queryClient = useQueryClient();
  const staff = useQuery({
    queryKey: ['staff', clinic.id],
    queryFn: async () => unwrap(await api.GET('/api/staff', { params: { query: { locationId: clinic.id } } })),
  });
  const blank = { name: '', email: '', role: 'nurse' as Role, password: '', locationIds: [clinic.id] };
  const [form, setForm] = useState(blank);
  const [key, setKey] = useState(idempotencyKey);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
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
      ),
    onSuccess: async () => {
      setForm(blank);
      setKey(idempotencyKey());
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
  const clinicNames = (m: StaffMember) => m.locationIds.map((id) => clinics.find((c) => c.id === id)?.name ?? '?').join(', ');
  return (
    <section className="panel" aria-labelledby="staff-heading">
      <h2 id="staff-heading">Staff at {clinic.name}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Clinics</th>
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {(staff.data ?? []).map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.name}</th>
              <td>{m.email}</td>
              <td>{ROLE_LABEL[m.role]}</td>
              <td>{clinicNames(m)}</td>
              <td>{m.active ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="form"
        aria-labelledby="new-staff-heading"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h3 id="new-staff-heading">Add a staff member</h3>
        <div className="grid-2">
          <label className="field">
            <span>Name</span>
            <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" />
          </label>
          <label className="field">
            <span>Email</span>
            <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="off" />
          </label>
          <label className="field">
            <span>Role</span>
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {(Object.keys(ROLE_LABEL) as Role[]).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Password (at least 12 characters; empty: cannot sign in)</span>
            <input
              type="password"
              minLength={12}
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
              autoComplete="new-password"
            />
          </label>
        </div>
        <fieldset className="fieldset">
          <legend>Works at</legend>
          {clinics.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={form.locationIds.includes(c.id)}
                onChange={(e) =>
                  setForm({ ...form, locationIds: e.target.checked ? [...form.locationIds, c.id] : form.locationIds.filter((id) => id !== c.id) })
                }
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
        <ProblemAlert error={create.error} title={create.error ? 'Not added' : undefined} />
        <Button type="submit" className="btn btn-primary" isDisabled={create.isPending}>
          Add staff member
        </Button>
      </form>
    </section>
  );
}
