import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Location, type Patient, type Schemas } from '../../api/client';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicDate, clinicTime, longDate } from '../../time';
import { PatientPicker, startTimes } from '../day-board/booking-dialog';
import { PlanSessions, PlanWarnings } from './plan-sessions';

type Course = Schemas['CourseResponse'];
type ReplanBody = Schemas['ReplanCourseDto'];

/**
 * Replan a booked course from session N on (POST /api/courses/{id}/replan): a new time, clinic, start
 * date or (Spravato TRD) maintenance frequency. A dry run first shows every session as it would be; then
 * one transaction moves them all, or none.
 */
export function CourseReplan({ clinic, clinics, clinicName }: { clinic: Location; clinics: Location[]; clinicName: (id: string) => string }) {
  const queryClient = useQueryClient();
  const zone = clinic.timezone;
  const [patient, setPatient] = useState<Patient | null>(null);
  const [courseId, setCourseId] = useState('');
  const [fromSequence, setFrom] = useState<number | null>(null);
  const [preferredTime, setTime] = useState('');
  const [locationId, setLocation] = useState('');
  const [startDate, setStartDate] = useState('');
  const [maintenance, setMaintenance] = useState('');
  const [preview, setPreview] = useState<Course | null>(null);
  const [replanned, setReplanned] = useState<Course | null>(null);

  const courses = useQuery({
    queryKey: ['patient-courses', patient?.id ?? ''],
    enabled: !!patient,
    queryFn: async () => unwrap(await api.GET('/api/patients/{id}/courses', { params: { path: { id: patient!.id } } })),
  });
  const active = (courses.data ?? []).filter((c) => c.status === 'active');
  const course = active.find((c) => c.id === courseId);
  const movable = (course?.sessions ?? []).filter((s) => s.sequence !== null && s.status === 'scheduled');

  const reset = () => {
    setPreview(null);
    setReplanned(null);
    dryRun.reset();
    replan.reset();
  };
  const body = (): ReplanBody => ({
    fromSequence: fromSequence ?? movable[0]?.sequence ?? 1,
    ...(preferredTime ? { preferredTime } : {}),
    ...(locationId ? { locationId } : {}),
    ...(startDate ? { startDate } : {}),
    ...(maintenance ? { maintenanceEveryWeeks: Number(maintenance) as 1 | 2 } : {}),
  });
  const post = async (dry: boolean) =>
    unwrap(await api.POST('/api/courses/{id}/replan', { params: { path: { id: courseId } }, body: { ...body(), ...(dry ? { dryRun: true } : {}) } }));
  const dryRun = useMutation({
    mutationFn: () => post(true),
    onMutate: () => setPreview(null),
    onSuccess: setPreview,
  });
  const replan = useMutation({
    mutationFn: () => post(false),
    onSuccess: async (result) => {
      setReplanned(result);
      setPreview(null);
      await queryClient.invalidateQueries({ queryKey: ['patient-courses'] });
      await queryClient.invalidateQueries({ queryKey: ['appointments'] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (course) dryRun.mutate();
  }

  const shown = replanned ?? preview;
  const from = body().fromSequence;
  return (
    <>
      <form className="panel form" onSubmit={submit} aria-labelledby="replan-heading">
        <h2 id="replan-heading">Replan from a session on</h2>
        <PatientPicker
          clinic={clinic}
          patient={patient}
          onPick={(p) => {
            setPatient(p);
            setCourseId('');
            reset();
          }}
        />
        {patient && courses.data && active.length === 0 && <p className="muted">No active course.</p>}
        {active.length > 0 && (
          <div className="grid-2">
            <label className="field">
              <span>Course</span>
              <select
                value={courseId}
                onChange={(e) => {
                  setCourseId(e.target.value);
                  setFrom(null);
                  reset();
                }}
              >
                <option value="">Choose…</option>
                {active.map((c) => (
                  <option key={c.id!} value={c.id!}>
                    {c.protocol}, from {longDate(c.startDate)} ({c.completed} of {c.totalSessions} done)
                  </option>
                ))}
              </select>
            </label>
            {course && (
              <label className="field">
                <span>From session</span>
                <select
                  value={String(from)}
                  onChange={(e) => {
                    setFrom(Number(e.target.value));
                    reset();
                  }}
                >
                  {movable.map((s) => (
                    <option key={s.sequence!} value={String(s.sequence)}>
                      {s.sequence}: {longDate(clinicDate(s.startsAt, zone))} {clinicTime(s.startsAt, zone)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
        )}
        {course && (
          <fieldset className="fieldset">
            <legend>What changes (leave as is to keep)</legend>
            <div className="grid-2">
              <label className="field">
                <span>New time</span>
                <select
                  value={preferredTime}
                  onChange={(e) => {
                    setTime(e.target.value);
                    reset();
                  }}
                >
                  <option value="">As booked ({course.preferredTime})</option>
                  {startTimes('07:00', '19:00', clinic.slotMinutes).map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Clinic</span>
                <select
                  value={locationId}
                  onChange={(e) => {
                    setLocation(e.target.value);
                    reset();
                  }}
                >
                  <option value="">As booked ({clinicName(course.locationId)})</option>
                  {clinics.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Start date (optional)</span>
                <input
                  type="date"
                  value={startDate}
                  onChange={(e) => {
                    setStartDate(e.target.value);
                    reset();
                  }}
                />
              </label>
              {course.protocol === 'spravato-trd' && (
                <label className="field">
                  <span>Maintenance frequency</span>
                  <select
                    value={maintenance}
                    onChange={(e) => {
                      setMaintenance(e.target.value);
                      reset();
                    }}
                  >
                    <option value="">As booked</option>
                    <option value="1">Weekly</option>
                    <option value="2">Every 2 weeks</option>
                  </select>
                </label>
              )}
            </div>
          </fieldset>
        )}
        <ProblemAlert error={dryRun.error} title={dryRun.error ? 'Cannot replan' : undefined} />
        <Button type="submit" className="btn btn-primary" isDisabled={!course || movable.length === 0 || dryRun.isPending}>
          {dryRun.isPending ? 'Planning…' : 'Preview the replan (nothing moves yet)'}
        </Button>
      </form>

      {shown && (
        <section className="panel" aria-labelledby="replan-result-heading">
          <h2 id="replan-result-heading">{replanned ? 'Course replanned' : `Sessions from ${from} on, as they would be (not moved yet)`}</h2>
          {replanned && (
            <p role="status" className="notice">
              Sessions from {from} on moved; {replanned.sessions.filter((s) => (s.sequence ?? 0) >= from).length} sessions now from{' '}
              {longDate(clinicDate(replanned.sessions.find((s) => (s.sequence ?? 0) >= from)?.startsAt ?? replanned.startDate, zone))}.
            </p>
          )}
          <PlanWarnings warnings={shown.warnings} />
          <PlanSessions sessions={shown.sessions.filter((s) => (s.sequence ?? 0) >= from)} caption="Replanned sessions" zone={zone} clinicName={clinicName} />
          <ProblemAlert error={replan.error} title={replan.error ? 'Not replanned' : undefined} />
          {preview && (
            <Button className="btn btn-primary" isDisabled={replan.isPending} onPress={() => replan.mutate()}>
              {replan.isPending ? 'Moving…' : `Move sessions ${from} on as shown`}
            </Button>
          )}
        </section>
      )}
    </>
  );
}
