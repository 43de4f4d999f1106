import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Schemas } from '../../api/client';
import { keys, LIVE_REFETCH_MS, patientName, usePatients, useClinic } from '../../data';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicDate, clinicInstant, clinicTime, longDate } from '../../time';
import { NotYourClinic } from '../day-board/day-board';
import { LiveBadge } from '../../live/live-badge';
import { useLiveEvents } from '../../live/use-live-events';
import '../../live/live.css';
import { ClearanceQueue } from './clearance-queue';

type RemsForm = Schemas['RemsFormResponse'];
type Medication = NonNullable<RemsForm['concomitantSedatingMedications']>[number];

const MEDICATIONS: Record<Medication, string> = {
  benzodiazepine: 'Benzodiazepines',
  sedative_hypnotic: 'Other sedative-hypnotics',
  psychostimulant: 'Psychostimulants',
  maoi: 'MAOIs',
  opioid: 'Opioids',
};

/**
 * Provider: Spravato REMS Patient Monitoring Forms waiting at my clinic, oldest due first (overdue ones
 * marked); fill in and submit. Beside them, today's sessions waiting for a dosing clearance, kept live.
 */
export default function RemsDesk() {
  const { clinic, clinics, forbidden, isLoading } = useClinic();
  const live = useLiveEvents(clinic?.id);
  const pending = useQuery({
    queryKey: keys.remsPending(clinic?.id ?? ''),
    enabled: !!clinic,
    refetchInterval: LIVE_REFETCH_MS,
    queryFn: async () => unwrap(await api.GET('/api/rems/pending', { params: { query: { locationId: clinic!.id } } })),
  });
  const patients = usePatients((pending.data ?? []).map((p) => p.patientId));
  const [openId, setOpenId] = useState<string | null>(null);

  if (forbidden) return <NotYourClinic name={forbidden} />;
  if (!clinic) {
    return (
      <main id="main" className="screen" aria-busy={isLoading}>
        <h1>REMS forms</h1>
        <p>{isLoading ? 'Loading clinics…' : 'You are not assigned to a clinic.'}</p>
      </main>
    );
  }
  const zone = clinic.timezone;
  return (
    <main id="main" className="screen rems">
      <h1>
        REMS forms <span className="subtitle">{clinic.name}</span> <LiveBadge state={live} />
      </h1>
      <ClinicDayBar clinics={clinics} clinic={clinic} />
      <ProblemAlert error={pending.error} />
      <div className="board-with-worklist">
        <section className="panel" aria-labelledby="pending-heading">
          <h2 id="pending-heading">Patient Monitoring Forms to submit</h2>
          {pending.data?.length === 0 && <p>No form is waiting.</p>}
          {pending.data && pending.data.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Session</th>
                  <th scope="col">Due</th>
                  <th scope="col">Patient status</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.data.map((p) => (
                  <tr key={p.appointmentId} className={p.overdue ? 'overrun' : undefined}>
                    <th scope="row">{patientName(patients.get(p.patientId))}</th>
                    <td>{longDate(p.sessionDate)}</td>
                    <td>
                      {longDate(clinicDate(p.dueAt, zone))} {clinicTime(p.dueAt, zone)}
                      {p.overdue && <strong className="warn"> Overdue</strong>}
                    </td>
                    <td>{p.appointmentStatus === 'discharged' ? 'Discharged' : 'Still in observation'}</td>
                    <td>
                      <Button className="btn" aria-label={`Open form: ${patientName(patients.get(p.patientId))}`} onPress={() => setOpenId(p.appointmentId)}>
                        Open form
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <ClearanceQueue clinic={clinic} />
      </div>
      {openId && <FormPanel key={openId} appointmentId={openId} zone={zone} clinicId={clinic.id} onDone={() => setOpenId(null)} />}
    </main>
  );
}

const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? 'not known yet' : v ? 'yes' : 'no');

function FormPanel({ appointmentId, zone, clinicId, onDone }: { appointmentId: string; zone: string; clinicId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useQuery({
    queryKey: keys.remsForm(appointmentId),
    queryFn: async () => unwrap(await api.GET('/api/appointments/{id}/rems-form', { params: { path: { id: appointmentId } } })),
  });
  const f = form.data;
  const [meds, setMeds] = useState<Medication[] | null>(null);
  const [respiratory, setRespiratory] = useState<'' | 'yes' | 'no'>('');
  const [adverse, setAdverse] = useState<'' | 'yes' | 'no'>('');
  const [adverseText, setAdverseText] = useState('');
  const [readyAt, setReadyAt] = useState('');
  const chosenMeds = meds ?? f?.concomitantSedatingMedications ?? [];

  const submit = useMutation({
    mutationFn: async () => {
      // The answers the chart cannot know; what is left empty keeps the stored answer.
      const readyToLeaveAt = readyAt && f ? clinicInstant(f.sessionDate, readyAt, zone) : null;
      const body = {
        concomitantSedatingMedications: chosenMeds,
        ...(respiratory ? { respiratoryDepression: respiratory === 'yes' } : {}),
        ...(adverse ? { seriousAdverseEvents: adverse === 'yes' } : {}),
        ...(adverse === 'yes' ? { seriousAdverseEventsDescription: adverseText.trim() } : {}),
        ...(readyToLeaveAt ? { readyToLeaveAt } : {}),
      };
      return unwrap(await api.POST('/api/appointments/{id}/rems-form/submit', { params: { path: { id: appointmentId } }, body }));
    },
    onSuccess: async (submitted) => {
      queryClient.setQueryData(keys.remsForm(appointmentId), submitted);
      await queryClient.invalidateQueries({ queryKey: keys.remsPending(clinicId) });
    },
  });

  if (!f) {
    return (
      <section className="panel" aria-busy="true">
        <ProblemAlert error={form.error} />
        {!form.error && <p>Loading the form…</p>}
      </section>
    );
  }
  const bp = (r: { systolic: number; diastolic: number; takenAt: string } | null | undefined) =>
    r ? `${r.systolic}/${r.diastolic} at ${clinicTime(r.takenAt, zone)}` : 'not taken';
  const submitted = f.status === 'submitted';

  function send(event: FormEvent) {
    event.preventDefault();
    submit.mutate();
  }

  return (
    <section className="panel" aria-labelledby="form-heading">
      <h2 id="form-heading">
        Patient Monitoring Form: {f.patient.lastName}, {f.patient.firstName} <span className="subtitle">{longDate(f.sessionDate)}</span>
      </h2>
      {submitted && (
        <p role="status" className="notice">
          Submitted {f.submittedAt ? `${longDate(clinicDate(f.submittedAt, zone))} ${clinicTime(f.submittedAt, zone)}` : ''} by{' '}
          {f.monitoringProvider?.name ?? 'a provider'}.
        </p>
      )}
      <dl className="facts">
        <dt>First treatment</dt>
        <dd>{f.firstTreatment ? 'yes' : 'no'}</dd>
        <dt>Dose</dt>
        <dd>
          {f.doseMg} mg, {f.devices} devices at {f.deviceTimes.map((t) => clinicTime(t, zone)).join(', ')}, lot {f.lotNumber}
        </dd>
        <dt>Blood pressure</dt>
        <dd>
          before {bp(f.bloodPressure.beforeDose)}; about 40 min {bp(f.bloodPressure.at40Minutes)}; before leaving {bp(f.bloodPressure.beforeDischarge)}
        </dd>
        <dt>Monitoring</dt>
        <dd>{f.totalMonitoringMinutes !== null ? `${f.totalMonitoringMinutes} minutes from the first device` : 'the patient is not discharged yet'}</dd>
        <dt>Vitals acceptable</dt>
        <dd>
          before: {yesNo(f.vitalsAcceptableBefore)}; at the end: {yesNo(f.vitalsAcceptableAtEnd)}
        </dd>
        <dt>Sedation (MOAA/S below 5)</dt>
        <dd>{yesNo(f.sedation.observed)}</dd>
        <dt>Dissociation (CADSS above 4)</dt>
        <dd>{yesNo(f.dissociation.observed)}</dd>
        <dt>Lowest SpO₂</dt>
        <dd>{f.lowestSpo2 ?? '—'}</dd>
        <dt>Due</dt>
        <dd>
          {longDate(clinicDate(f.dueAt, zone))} {clinicTime(f.dueAt, zone)}
          {f.overdue ? ' (overdue)' : ''}
        </dd>
      </dl>
      {!submitted && (
        <form className="form" onSubmit={send}>
          <fieldset className="fieldset">
            <legend>Concomitant sedating medications</legend>
            {(Object.keys(MEDICATIONS) as Medication[]).map((m) => (
              <label key={m} className="check">
                <input
                  type="checkbox"
                  checked={chosenMeds.includes(m)}
                  onChange={(e) => setMeds(e.target.checked ? [...chosenMeds, m] : chosenMeds.filter((x) => x !== m))}
                />{' '}
                {MEDICATIONS[m]}
              </label>
            ))}
            <p className="muted">None ticked means none.</p>
          </fieldset>
          <YesNo
            legend={`Respiratory depression (recorded: ${yesNo(f.respiratoryDepression)})`}
            name="respiratory"
            value={respiratory}
            onChange={setRespiratory}
          />
          <YesNo legend={`Serious adverse events (recorded: ${yesNo(f.seriousAdverseEvents)})`} name="adverse" value={adverse} onChange={setAdverse} />
          {adverse === 'yes' && (
            <label className="field">
              <span>Describe the serious adverse events</span>
              <textarea required maxLength={2000} value={adverseText} onChange={(e) => setAdverseText(e.target.value)} />
            </label>
          )}
          <label className="field">
            <span>Ready to leave without the 2-hour minimum at (recorded: {f.readyToLeaveAt ? clinicTime(f.readyToLeaveAt, zone) : 'not yet'})</span>
            <input type="time" value={readyAt} onChange={(e) => setReadyAt(e.target.value)} />
          </label>
          {f.missing.length > 0 && (
            <p className="muted" id="missing-note">
              Still missing: {f.missing.join(', ')}.
            </p>
          )}
          <ProblemAlert error={submit.error} title={submit.error ? 'Not submitted' : undefined} />
          <div className="dialog-actions">
            <Button type="submit" className="btn btn-primary" isDisabled={submit.isPending}>
              Submit form
            </Button>
            <Button className="btn btn-quiet" onPress={onDone}>
              Close
            </Button>
          </div>
        </form>
      )}
      {submitted && (
        <Button className="btn" onPress={onDone}>
          Close
        </Button>
      )}
    </section>
  );
}

function YesNo({ legend, name, value, onChange }: { legend: string; name: string; value: '' | 'yes' | 'no'; onChange: (v: 'yes' | 'no') => void }) {
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {(['yes', 'no'] as const).map((v) => (
        <label key={v} className="check">
          <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} /> {v === 'yes' ? 'Yes' : 'No'}
        </label>
      ))}
    </fieldset>
  );
}
