import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, idempotencyKey, unwrap, type Patient, type Schemas } from '../../api/client';
import { useClinic, useLocations, useResources } from '../../data';
import { navigate } from '../../router';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { addDays, clinicDate, longDate } from '../../time';
import { NotYourClinic } from '../day-board/day-board';
import { PatientPicker, startTimes } from '../day-board/booking-dialog';
import { CourseReplan } from './course-replan';
import { PlanSessions, PlanWarnings } from './plan-sessions';

type ProtocolCode = Schemas['CreateCourseDto']['protocol'];
type Course = Schemas['CourseResponse'];

/**
 * Front desk: a treatment course planned as a dry run first (every session, and a warning for each
 * deviation from the preferred day, time or clinic), then booked in one go, all sessions or none.
 * Below it, a booked course is replanned from session N on (course-replan.tsx).
 */
export default function CoursePlanner() {
  const { clinic, clinics, forbidden, isLoading } = useClinic();
  const locations = useLocations();
  const resources = useResources(clinic?.id);
  const protocols = useQuery({ queryKey: ['protocols'], staleTime: 60 * 60_000, queryFn: async () => unwrap(await api.GET('/api/protocols')) });
  const [patient, setPatient] = useState<Patient | null>(null);
  const [protocol, setProtocol] = useState<ProtocolCode>('spravato-trd');
  const [startDate, setStartDate] = useState(() => addDays(clinicDate(new Date()), 1));
  const [preferredTime, setTime] = useState('09:00');
  const [alternates, setAlternates] = useState<string[]>([]);
  const [plan, setPlan] = useState<Course | null>(null);
  const [booked, setBooked] = useState<Course | null>(null);
  const [key, setKey] = useState(idempotencyKey);

  const body = () => ({ patientId: patient!.id, protocol, locationId: clinic!.id, startDate, preferredTime, alternateLocationIds: alternates });
  const dryRun = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/courses', { body: { ...body(), dryRun: true } })),
    // A new plan replaces the old one, also when it is refused.
    onMutate: () => {
      setPlan(null);
      book.reset();
    },
    onSuccess: (course) => {
      setPlan(course);
      setBooked(null);
    },
  });
  const book = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/courses', { params: { header: { 'Idempotency-Key': key } }, body: body() })),
    onSuccess: (course) => {
      setBooked(course);
      setPlan(null);
      setKey(idempotencyKey());
    },
  });

  if (forbidden) return <NotYourClinic name={forbidden} />;
  if (!clinic) {
    return (
      <main id="main" className="screen" aria-busy={isLoading}>
        <h1>Course planner</h1>
        <p>{isLoading ? 'Loading clinics…' : 'You are not assigned to a clinic.'}</p>
      </main>
    );
  }
  const zone = clinic.timezone;
  const clinicName = (id: string) => locations.data?.find((l) => l.id === id)?.name ?? '—';
  const resourceName = (id: string | null) => resources.data?.find((r) => r.id === id)?.name ?? (id ? 'another clinic' : '—');
  const chosen = protocols.data?.find((p) => p.code === protocol);
  const shown = booked ?? plan;
  // Any change to the request makes the shown plan stale.
  const changed = () => {
    setPlan(null);
    dryRun.reset();
    book.reset();
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (patient) dryRun.mutate();
  }

  return (
    <main id="main" className="screen courses">
      <h1>
        Course planner <span className="subtitle">{clinic.name}</span>
      </h1>
      <ClinicDayBar clinics={clinics} clinic={clinic} />
      <form className="panel form" onSubmit={submit} aria-labelledby="plan-heading">
        <h2 id="plan-heading">Plan a course</h2>
        <PatientPicker
          clinic={clinic}
          patient={patient}
          onPick={(p) => {
            setPatient(p);
            changed();
          }}
        />
        <div className="grid-2">
          <label className="field">
            <span>Protocol</span>
            <select
              value={protocol}
              onChange={(e) => {
                setProtocol(e.target.value as ProtocolCode);
                changed();
              }}
            >
              {(protocols.data ?? []).map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>First possible day</span>
            <input
              type="date"
              required
              value={startDate}
              onChange={(e) => {
                setStartDate(e.target.value);
                changed();
              }}
            />
          </label>
          <label className="field">
            <span>Preferred time</span>
            <select
              value={preferredTime}
              onChange={(e) => {
                setTime(e.target.value);
                changed();
              }}
            >
              {startTimes('07:00', '19:00', clinic.slotMinutes).map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        </div>
        {chosen && (
          <p className="muted">
            {chosen.totalSessions} sessions: {chosen.cadence}.
          </p>
        )}
        {clinics.length > 1 && (
          <fieldset className="fieldset">
            <legend>Other clinics to try when {clinic.name} has no start within 2 hours</legend>
            {clinics
              .filter((c) => c.id !== clinic.id)
              .map((c) => (
                <label key={c.id} className="check">
                  <input
                    type="checkbox"
                    checked={alternates.includes(c.id)}
                    onChange={(e) => {
                      setAlternates(e.target.checked ? [...alternates, c.id] : alternates.filter((id) => id !== c.id));
                      changed();
                    }}
                  />{' '}
                  {c.name}
                </label>
              ))}
          </fieldset>
        )}
        <ProblemAlert error={dryRun.error} title={dryRun.error ? 'Cannot plan this course' : undefined} />
        <Button type="submit" className="btn btn-primary" isDisabled={!patient || dryRun.isPending}>
          {dryRun.isPending ? 'Planning…' : 'Plan (nothing is booked yet)'}
        </Button>
      </form>

      {shown && (
        <section className="panel" aria-labelledby="result-heading">
          <h2 id="result-heading">{booked ? 'Course booked' : 'Planned sessions (not booked yet)'}</h2>
          {booked && (
            <p role="status" className="notice">
              {booked.sessions.length} sessions booked, from {longDate(clinicDate(booked.sessions[0].startsAt, zone))}.
            </p>
          )}
          <PlanWarnings warnings={shown.warnings} />
          <PlanSessions
            sessions={shown.sessions}
            caption="Sessions"
            zone={zone}
            clinicName={clinicName}
            resourceOf={(s) => (s.locationId === clinic.id ? resourceName(s.resourceId) : '—')}
          />
          <ProblemAlert error={book.error} title={book.error ? 'Not booked' : undefined} />
          {plan && (
            <Button className="btn btn-primary" isDisabled={book.isPending} onPress={() => book.mutate()}>
              {book.isPending ? 'Booking…' : `Book all ${plan.sessions.length} sessions`}
            </Button>
          )}
          {booked && (
            <Button className="btn" onPress={() => navigate(`/front-desk?clinic=${clinic.code}&date=${clinicDate(booked.sessions[0].startsAt, zone)}`)}>
              Show the first session on the day board
            </Button>
          )}
        </section>
      )}
      <CourseReplan clinic={clinic} clinics={clinics} clinicName={clinicName} />
    </main>
  );
}
