import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Appointment } from '../../api/client';
import {
  dayNames,
  keys,
  LIVE_REFETCH_MS,
  patientName,
  type PatientNames,
  STATUS_LABEL,
  TYPE_LABEL,
  useClinic,
  useDayAppointments,
  usePatients,
  useResources,
} from '../../data';
import { LiveBadge } from '../../live/live-badge';
import { useLiveEvents } from '../../live/use-live-events';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicDate, clinicTime, minutesUntil } from '../../time';
import { NotYourClinic } from '../day-board/day-board';
import { SessionPanel } from './session-panel';

const GROUPS: Array<{ title: string; statuses: Array<Appointment['status']> }> = [
  { title: 'Arriving', statuses: ['scheduled'] },
  { title: 'Checked in and in treatment', statuses: ['checked_in', 'in_treatment'] },
  { title: 'Observing', statuses: ['observing'] },
  { title: 'Discharged', statuses: ['discharged'] },
];

/** The time at every render, and a render at least every 5 s, for countdowns. */
export function useNow(intervalMs = 5_000): Date {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return new Date();
}

export function countdown(instant: string | null | undefined, now: Date, zone: string): string {
  if (!instant) return '—';
  const minutes = minutesUntil(instant, now);
  const at = clinicTime(instant, zone);
  if (minutes > 0) return `${at} (in ${minutes} min)`;
  if (minutes === 0) return `${at} (now)`;
  return `${at} (${-minutes} min ago)`;
}

/** Nurse chair-side: today's patients at my clinic by status, the observation board, and one patient's session. */
export default function ChairSide() {
  const { clinic, clinics, forbidden, isLoading } = useClinic();
  const zone = clinic?.timezone ?? 'America/Denver';
  const now = useNow();
  const today = clinicDate(now, zone);
  const day = useDayAppointments(clinic?.id, today);
  const resources = useResources(clinic?.id);
  const live = useLiveEvents(clinic?.id);
  const board = useQuery({
    queryKey: keys.observation(clinic?.id ?? ''),
    enabled: !!clinic,
    refetchInterval: LIVE_REFETCH_MS,
    queryFn: async () => unwrap(await api.GET('/api/locations/{id}/observation', { params: { path: { id: clinic!.id } } })),
  });
  const appointments = (day.data ?? []).filter((a) => a.mode !== 'telehealth');
  const dayList = dayNames(day.data ?? []);
  // The day list names its patients; only someone observed here but not on today's list is read alone.
  const others = usePatients((board.data ?? []).map((o) => o.patientId).filter((id) => !dayList.has(id)));
  const patients = { get: (id: string): PatientNames | undefined => dayList.get(id) ?? others.get(id) };
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = appointments.find((a) => a.id === selectedId);
  const resourceName = (id: string | null | undefined) => resources.data?.find((r) => r.id === id)?.name ?? '—';

  if (forbidden) return <NotYourClinic name={forbidden} />;
  if (!clinic) {
    return (
      <main id="main" className="screen" aria-busy={isLoading}>
        <h1>Chair-side</h1>
        <p>{isLoading ? 'Loading clinics…' : 'You are not assigned to a clinic.'}</p>
      </main>
    );
  }

  return (
    <main id="main" className="screen chair-side">
      <h1>
        Chair-side <span className="subtitle">{clinic.name}, today</span> <LiveBadge state={live} />
      </h1>
      <ClinicDayBar clinics={clinics} clinic={clinic} />
      <ProblemAlert error={day.error ?? board.error} />

      <section className="panel" aria-labelledby="board-heading">
        <h2 id="board-heading">Observation board</h2>
        {board.data && board.data.length === 0 && <p>Nobody is in observation or recovery.</p>}
        {board.data && board.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Where</th>
                <th scope="col">Earliest discharge</th>
                <th scope="col">Next vitals due</th>
                <th scope="col">Resource</th>
              </tr>
            </thead>
            <tbody>
              {board.data.map((o) => (
                <tr key={o.appointmentId} className={o.overrunsNextBooking ? 'overrun' : undefined}>
                  <th scope="row">
                    {patientName(patients.get(o.patientId))}
                    <span className="muted"> · {TYPE_LABEL[o.type]}</span>
                  </th>
                  <td>{resourceName(o.resourceId)}</td>
                  <td data-testid="earliest-discharge">{o.status === 'in_treatment' ? 'Infusion running' : countdown(o.earliestDischargeAt, now, zone)}</td>
                  <td>{countdown(o.nextVitalsDueAt, now, zone)}</td>
                  <td>
                    {o.overrunsNextBooking ? (
                      <strong className="warn">Overrun: next booking at {o.nextBookingStartsAt ? clinicTime(o.nextBookingStartsAt, zone) : '?'}</strong>
                    ) : (
                      `Free at ${clinicTime(o.expectedFreeAt, zone)}`
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <div className="chair-layout">
        <nav className="patient-groups" aria-label="Today's patients">
          {GROUPS.map((g) => {
            const list = appointments.filter((a) => g.statuses.includes(a.status));
            return (
              <section key={g.title} aria-labelledby={`group-${g.statuses[0]}`}>
                <h2 id={`group-${g.statuses[0]}`}>
                  {g.title} <span className="count">({list.length})</span>
                </h2>
                <ul className="plain-list">
                  {list.map((a) => (
                    <li key={a.id}>
                      <Button
                        className={`patient-row${a.id === selectedId ? ' selected' : ''}`}
                        aria-current={a.id === selectedId ? 'true' : undefined}
                        onPress={() => setSelectedId(a.id)}
                      >
                        <span className="row-time">{clinicTime(a.startsAt, zone)}</span>
                        <span className="row-name">{patientName(patients.get(a.patientId))}</span>
                        <span className="row-meta">
                          {TYPE_LABEL[a.type]} · {resourceName(a.resourceId)} · {STATUS_LABEL[a.status]}
                        </span>
                      </Button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
          {day.data && appointments.length === 0 && <p>No patients today.</p>}
        </nav>
        <div className="session-area">
          {selected ? (
            <SessionPanel
              key={selected.id}
              appointment={selected}
              patient={patients.get(selected.patientId)}
              clinic={clinic}
              resourceName={resourceName}
              now={now}
            />
          ) : (
            <p className="muted">Choose a patient to check in, record vitals and doses, and discharge.</p>
          )}
        </div>
      </div>
    </main>
  );
}
