import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Location } from '../../api/client';
import { keys, useClinic, useHours } from '../../data';
import { navigate } from '../../router';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { addDays, clinicDate, longDate } from '../../time';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Admin: a clinic's opening hours and closures (staff accounts: the Staff screen). */
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
      <p>
        Accounts (roles, clinics, deactivation, password resets) are on the{' '}
        <a
          href="/staff"
          onClick={(e) => {
            e.preventDefault();
            navigate('/staff');
          }}
        >
          Staff
        </a>{' '}
        screen.
      </p>
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
