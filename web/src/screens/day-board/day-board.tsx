import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { Appointment, Resource } from '../../api/client';
import { useSessionUser } from '../../auth/use-session';
import { dayNames, patientName, STATUS_LABEL, TYPE_LABEL, useClinic, useClosure, useDayAppointments, useHours, usePatients, useResources } from '../../data';
import { useLocation } from '../../router';
import { canBook } from '../../roles';
import { LiveBadge } from '../../live/live-badge';
import { useLiveEvents } from '../../live/use-live-events';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicDate, clinicMinutes, clinicTime, fromMinutes, toMinutes, weekdayOf } from '../../time';
import { AppointmentDialog } from './appointment-dialog';
import { BookingDialog, type BookingStart } from './booking-dialog';
import { useHolidayClosure } from './holiday';
import { WorklistPanel } from './worklist-panel';

const KIND_ORDER: Record<Resource['kind'], number> = { treatment_chair: 0, tms_device: 1, ect_suite: 2, recovery_bay: 3 };
const ACTIVE: ReadonlyArray<Appointment['status']> = ['scheduled', 'checked_in', 'in_treatment', 'observing', 'discharged'];
/** Visits (intake, follow-up) hold a provider's time, no room: they get a column of their own. */
const VISITS = 'visits';

export default function DayBoard() {
  const user = useSessionUser()!;
  const { query } = useLocation();
  const { clinic, clinics, forbidden, isLoading } = useClinic();
  const zone = clinic?.timezone ?? 'America/Denver';
  const today = clinicDate(new Date(), zone);
  const date = query.get('date') ?? today;

  const resources = useResources(clinic?.id);
  const live = useLiveEvents(clinic?.id);
  const hours = useHours(clinic?.id);
  const explicitClosure = useClosure(clinic?.id, date);
  const holiday = useHolidayClosure(clinic?.id, date);
  // A closure the admin added, or a public holiday the clinic does not open on: no bookings either way.
  const closure = { data: explicitClosure.data ?? (holiday ? { reason: `${holiday} (public holiday)` } : null) };
  const day = useDayAppointments(clinic?.id, date);
  const appointments = day.data ?? [];
  const names = dayNames(appointments);

  const [booking, setBooking] = useState<BookingStart | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const openAppointment = appointments.find((a) => a.id === openId);
  // The dialog shows more than the name (date of birth): that patient's read, only when opened.
  const openPatient = usePatients(openAppointment ? [openAppointment.patientId] : []);

  if (forbidden) return <NotYourClinic name={forbidden} />;
  if (!clinic) {
    return (
      <main id="main" className="screen" aria-busy={isLoading}>
        <h1>Day board</h1>
        <p>{isLoading ? 'Loading clinics…' : 'You are not assigned to a clinic.'}</p>
      </main>
    );
  }

  const open = hours.data?.find((h) => h.weekday === weekdayOf(date));
  const columns: Array<Pick<Resource, 'id' | 'name' | 'kind'>> = (resources.data ?? [])
    .filter((r) => r.active)
    .sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || x.name.localeCompare(y.name, 'en', { numeric: true }));
  const active = appointments.filter((a) => ACTIVE.includes(a.status));
  const inactive = appointments.filter((a) => !ACTIVE.includes(a.status));
  if (active.some((a) => a.segments.length === 0)) columns.push({ id: VISITS, name: 'Visits', kind: 'treatment_chair' });
  const bookable = canBook(user.role) && !closure.data && !!open;

  return (
    <main id="main" className="screen day-board">
      <h1>
        Day board <span className="subtitle">{clinic.name}</span> <LiveBadge state={live} />
      </h1>
      <ClinicDayBar clinics={clinics} clinic={clinic} date={date} today={today} />
      <ProblemAlert error={day.error ?? resources.error ?? hours.error} />
      {closure.data && (
        <p className="closed-banner" role="status">
          Closed: {closure.data.reason}
        </p>
      )}
      {hours.data && !open && !closure.data && (
        <p className="closed-banner" role="status">
          Closed: the clinic has no opening hours on this weekday.
        </p>
      )}
      {bookable && (
        <div className="actions">
          <Button className="btn btn-primary" onPress={() => setBooking({ time: fromMinutes(toMinutes(open.opens)) })}>
            Book appointment…
          </Button>
        </div>
      )}
      <div className="board-with-worklist">
        <div>
          {open && !closure.data && (
            <ScheduleGrid
              zone={zone}
              opens={toMinutes(open.opens)}
              closes={toMinutes(open.closes)}
              slotMinutes={clinic.slotMinutes}
              columns={columns}
              appointments={active}
              names={(id) => patientName(names.get(id))}
              loading={day.isLoading || resources.isLoading}
              onFreeSlot={bookable ? (resourceId, time) => setBooking({ resourceId: resourceId === VISITS ? undefined : resourceId, time }) : undefined}
              onOpen={setOpenId}
            />
          )}
        </div>
        <WorklistPanel clinic={clinic} canResolve={canBook(user.role)} />
      </div>
      {inactive.length > 0 && (
        <section className="panel" aria-labelledby="inactive-heading">
          <h2 id="inactive-heading">Cancelled and no-shows</h2>
          <ul className="plain-list">
            {inactive.map((a) => (
              <li key={a.id}>
                {clinicTime(a.startsAt, zone)} {TYPE_LABEL[a.type]} · {patientName(names.get(a.patientId))} · {STATUS_LABEL[a.status]}
                {a.cancelReason ? ` (${a.cancelReason})` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      {booking && open && (
        <BookingDialog
          clinic={clinic}
          date={date}
          opens={open.opens}
          closes={open.closes}
          resources={resources.data ?? []}
          start={booking}
          onClose={() => setBooking(null)}
        />
      )}
      {openAppointment && (
        <AppointmentDialog
          appointment={openAppointment}
          patient={openPatient.get(openAppointment.patientId)}
          clinic={clinic}
          resources={resources.data ?? []}
          opens={open?.opens ?? '07:00'}
          closes={open?.closes ?? '19:00'}
          canChange={canBook(user.role)}
          onClose={() => setOpenId(null)}
        />
      )}
    </main>
  );
}

export function NotYourClinic({ name }: { name: string }) {
  return (
    <main id="main" className="screen">
      <h1>Not your clinic</h1>
      <p role="alert" className="alert">
        You do not work at {name}, so its schedule is not shown.
      </p>
    </main>
  );
}

interface GridProps {
  zone: string;
  opens: number;
  closes: number;
  slotMinutes: number;
  columns: Array<Pick<Resource, 'id' | 'name' | 'kind'>>;
  appointments: Appointment[];
  names: (patientId: string) => string;
  loading: boolean;
  onFreeSlot?: (resourceId: string, time: string) => void;
  onOpen: (appointmentId: string) => void;
}

interface Block {
  appointment: Appointment;
  column: number;
  from: number;
  to: number;
  /** The observation part within this block, as minutes of the day. */
  observation?: [number, number];
}

/**
 * Resources as columns, the slot grid as rows; each appointment a block over its whole occupancy on
 * each resource it holds (ECT: the suite, then the recovery bay), its observation part shaded.
 */
function ScheduleGrid({ zone, opens, closes, slotMinutes, columns, appointments, names, loading, onFreeSlot, onOpen }: GridProps) {
  const rows = Math.max(1, Math.ceil((closes - opens) / slotMinutes));
  const columnOf = new Map(columns.map((c, i) => [c.id, i]));
  const blocks: Block[] = [];
  for (const a of appointments) {
    const observation = a.observation
      ? ([clinicMinutes(a.observation.startsAt, zone), clinicMinutes(a.observation.endsAt, zone)] as [number, number])
      : undefined;
    const spans = a.segments.length ? a.segments : [{ resourceId: VISITS, startsAt: a.occupancy.startsAt, endsAt: a.occupancy.endsAt }];
    for (const s of spans) {
      const column = columnOf.get(s.resourceId);
      if (column === undefined) continue;
      blocks.push({ appointment: a, column, from: clinicMinutes(s.startsAt, zone), to: clinicMinutes(s.endsAt, zone), observation });
    }
  }
  const row = (minutes: number) => Math.min(rows, Math.max(0, Math.round((minutes - opens) / slotMinutes))) + 2;
  const taken = new Set<string>();
  for (const b of blocks) for (let r = row(b.from); r < row(b.to); r++) taken.add(`${b.column}:${r}`);

  const freeCells = [];
  if (onFreeSlot) {
    for (let c = 0; c < columns.length; c++) {
      for (let r = 0; r < rows; r++) {
        if (taken.has(`${c}:${r + 2}`)) continue;
        const time = fromMinutes(opens + r * slotMinutes);
        freeCells.push(
          // Pointer shortcut only: keyboard users book with "Book appointment…", which offers the same choices.
          <div
            key={`${c}:${r}`}
            className="free-slot"
            data-resource={columns[c].name}
            data-time={time}
            title={`Book ${columns[c].name} at ${time}`}
            style={{ gridColumn: c + 2, gridRow: r + 2 }}
            onClick={() => onFreeSlot(columns[c].id, time)}
          />,
        );
      }
    }
  }

  return (
    <section className="schedule-wrap" aria-label="Schedule" aria-busy={loading}>
      <div
        className="schedule"
        style={{ gridTemplateColumns: `4rem repeat(${columns.length}, minmax(7.5rem, 1fr))`, gridTemplateRows: `auto repeat(${rows}, 1.3rem)` }}
      >
        <div className="corner" style={{ gridColumn: 1, gridRow: 1 }} />
        {columns.map((c, i) => (
          <div key={c.id} className="column-head" style={{ gridColumn: i + 2, gridRow: 1 }}>
            {c.name}
          </div>
        ))}
        {Array.from({ length: rows }, (_, r) => opens + r * slotMinutes)
          .filter((m) => m % 30 === 0)
          .map((m) => (
            <div key={m} className={`time-label${m % 60 === 0 ? ' hour' : ''}`} style={{ gridColumn: 1, gridRow: `${row(m)} / span ${30 / slotMinutes}` }}>
              {fromMinutes(m)}
            </div>
          ))}
        {freeCells}
        {blocks.map((b) => {
          const a = b.appointment;
          const span = Math.max(1, row(b.to) - row(b.from));
          const obs = b.observation && b.observation[1] > b.from && b.observation[0] < b.to ? b.observation : undefined;
          return (
            <Button
              key={`${a.id}:${b.column}`}
              className={`block status-${a.status} type-${a.type}`}
              style={{ gridColumn: b.column + 2, gridRow: `${row(b.from)} / span ${span}` }}
              onPress={() => onOpen(a.id)}
            >
              {obs && (
                <span
                  className="observation"
                  aria-hidden="true"
                  style={{
                    top: `${((Math.max(obs[0], b.from) - b.from) / (b.to - b.from)) * 100}%`,
                    bottom: `${((b.to - Math.min(obs[1], b.to)) / (b.to - b.from)) * 100}%`,
                  }}
                />
              )}
              {/* The visible text is the accessible name, with the column's resource for screen readers. */}
              <span className="block-text">
                <span className="block-time">
                  {fromMinutes(b.from)}–{fromMinutes(b.to)}
                </span>{' '}
                <span className="visually-hidden">{columns[b.column].name}: </span>
                <span className="block-patient">{names(a.patientId)}</span>
                <span className="block-meta">
                  {' '}
                  {TYPE_LABEL[a.type]}, <span className="status-badge">{STATUS_LABEL[a.status]}</span>
                  {a.status === 'scheduled' && (
                    <span className={`confirmation ${a.confirmedAt ? 'confirmed' : 'unconfirmed'}`}>
                      {a.confirmedAt ? ', confirmed' : ', not confirmed yet'}
                    </span>
                  )}
                </span>
              </span>
            </Button>
          );
        })}
      </div>
      <p className="legend">
        <span className="legend-swatch observation-swatch" aria-hidden="true" /> shaded: observation or recovery
      </p>
    </section>
  );
}
