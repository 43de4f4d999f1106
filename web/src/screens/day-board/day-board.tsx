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
import { clinicDate, clinicTime, fromMinutes, toMinutes, weekdayOf } from '../../time';
import { AppointmentDialog } from './appointment-dialog';
import { BookingDialog, type BookingStart } from './booking-dialog';
import { useHolidayClosure } from './holiday';
import { ScheduleGrid, VISITS } from './schedule-grid';
import { useMoveBlock } from './use-move-block';
import { WorklistPanel } from './worklist-panel';

const KIND_ORDER: Record<Resource['kind'], number> = { treatment_chair: 0, tms_device: 1, ect_suite: 2, recovery_bay: 3 };
const ACTIVE: ReadonlyArray<Appointment['status']> = ['scheduled', 'checked_in', 'in_treatment', 'observing', 'discharged'];

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
  const move = useMoveBlock(clinic?.id, date, zone);

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
      <ProblemAlert error={move.error} title={move.error ? 'Not moved' : undefined} />
      {move.isSuccess && (
        <p role="status" className="notice">
          Moved: {clinicTime(move.data.startsAt, zone)}, {resources.data?.find((r) => r.id === move.data.resourceId)?.name ?? ''}.
        </p>
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
              onMove={bookable ? (appointment, resourceId, startTime) => move.mutate({ appointment, resourceId, startTime }) : undefined}
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
