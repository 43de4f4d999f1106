import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, idempotencyKey, unwrap, type Appointment, type Location } from '../../api/client';
import { keys, patientName, type PatientNames, STATUS_LABEL, TYPE_LABEL } from '../../data';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicTime } from '../../time';
import { countdown } from './chair-side';
import { NumberField, TIMEPOINT_LABEL, VitalsForm } from './vitals-form';

interface Props {
  appointment: Appointment;
  patient: PatientNames | undefined;
  clinic: Location;
  resourceName: (id: string | null | undefined) => string;
  now: Date;
}

/** One patient's session, chair-side: the next step for their status, vitals, dose and discharge. */
export function SessionPanel({ appointment: a, patient, clinic, resourceName, now }: Props) {
  const queryClient = useQueryClient();
  const zone = clinic.timezone;
  const session = useQuery({
    queryKey: keys.session(a.id),
    enabled: a.status !== 'scheduled' && a.status !== 'cancelled' && a.status !== 'no_show',
    queryFn: async () => unwrap(await api.GET('/api/appointments/{id}/session', { params: { path: { id: a.id } } })),
  });
  const vitals = useQuery({
    queryKey: keys.vitals(a.id),
    enabled: a.status !== 'scheduled' && a.status !== 'cancelled' && a.status !== 'no_show',
    queryFn: async () => unwrap(await api.GET('/api/appointments/{id}/vitals', { params: { path: { id: a.id } } })),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['appointments', clinic.id] }),
      queryClient.invalidateQueries({ queryKey: keys.session(a.id) }),
      queryClient.invalidateQueries({ queryKey: keys.vitals(a.id) }),
      queryClient.invalidateQueries({ queryKey: keys.observation(clinic.id) }),
    ]);
  const step = useMutation({
    mutationFn: async (action: 'check-in' | 'start' | 'treatment-end') => {
      const params = { params: { path: { id: a.id } } };
      if (action === 'check-in') return unwrap(await api.POST('/api/appointments/{id}/check-in', params));
      if (action === 'start') return unwrap(await api.POST('/api/appointments/{id}/start', params));
      return unwrap(await api.POST('/api/appointments/{id}/treatment-end', params));
    },
    onSuccess: refresh,
  });

  const s = session.data;
  const inChair = ['checked_in', 'in_treatment', 'observing'].includes(a.status);
  const spravato = a.type === 'spravato';
  return (
    <section className="panel session" aria-labelledby="session-heading">
      <h2 id="session-heading">
        {patientName(patient)} <span className="subtitle">{TYPE_LABEL[a.type]}</span>
      </h2>
      <dl className="facts">
        <dt>Booked</dt>
        <dd>
          {clinicTime(a.occupancy.startsAt, zone)}–{clinicTime(a.occupancy.endsAt, zone)}, {resourceName(a.resourceId)}
        </dd>
        <dt>Status</dt>
        <dd data-testid="session-status">{STATUS_LABEL[a.status]}</dd>
        {s?.dose && (
          <>
            <dt>Dose</dt>
            <dd>
              {s.dose.doseMg} mg, {s.dose.devices} devices at {s.dose.deviceTimes.map((t) => clinicTime(t, zone)).join(', ')} (lot {s.dose.lotNumber})
            </dd>
          </>
        )}
        {s?.earliestDischargeAt && (
          <>
            <dt>Earliest discharge</dt>
            <dd>{countdown(s.earliestDischargeAt, now, zone)}</dd>
          </>
        )}
        {s?.nextVitalsDueAt && (
          <>
            <dt>Next vitals due</dt>
            <dd>{countdown(s.nextVitalsDueAt, now, zone)}</dd>
          </>
        )}
      </dl>

      <div className="dialog-actions">
        {a.status === 'scheduled' && (
          <Button className="btn btn-primary" isDisabled={step.isPending} onPress={() => step.mutate('check-in')}>
            Check in
          </Button>
        )}
        {a.status === 'checked_in' && !spravato && (
          <Button className="btn btn-primary" isDisabled={step.isPending} onPress={() => step.mutate('start')}>
            Start treatment
          </Button>
        )}
        {a.status === 'in_treatment' && (a.type === 'ketamine' || a.type === 'ect') && (
          <Button className="btn btn-primary" isDisabled={step.isPending} onPress={() => step.mutate('treatment-end')}>
            {a.type === 'ect' ? 'Treatment done: to recovery' : 'End infusion'}
          </Button>
        )}
      </div>
      <ProblemAlert error={step.error} />

      {inChair && <VitalsForm appointment={a} dosed={!!s?.dose} onSaved={refresh} />}
      {spravato && (a.status === 'checked_in' || a.status === 'in_treatment') && !s?.dose && <DoseForm appointment={a} onSaved={refresh} />}
      {a.type === 'tms' && a.status === 'in_treatment' && !s?.tmsRecord && <TmsForm appointment={a} onSaved={refresh} />}
      {(a.status === 'observing' || (a.status === 'in_treatment' && !['ketamine', 'ect', 'spravato'].includes(a.type))) && (
        <DischargeForm appointment={a} onSaved={refresh} />
      )}

      {vitals.data && vitals.data.length > 0 && (
        <table className="table">
          <caption>Vitals</caption>
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Timepoint</th>
              <th scope="col">BP</th>
              <th scope="col">HR</th>
              <th scope="col">SpO₂</th>
              <th scope="col">MOAA/S</th>
              <th scope="col">CADSS</th>
            </tr>
          </thead>
          <tbody>
            {vitals.data.map((v) => (
              <tr key={v.id} className={v.superseded ? 'superseded' : undefined}>
                <td>{clinicTime(v.takenAt, zone)}</td>
                <td>{TIMEPOINT_LABEL[v.timepoint]}</td>
                <td>
                  {v.systolic}/{v.diastolic}
                </td>
                <td>{v.heartRate}</td>
                <td>{v.spo2}%</td>
                <td>{v.sedationScore ?? '—'}</td>
                <td>{v.dissociationScore ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DoseForm({ appointment: a, onSaved }: { appointment: Appointment; onSaved: () => Promise<unknown> }) {
  const [doseMg, setDose] = useState<56 | 84>(56);
  const [lotNumber, setLot] = useState('');
  const [key, setKey] = useState(idempotencyKey);
  const devices = doseMg === 56 ? 2 : 3;
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/appointments/{id}/doses', {
          params: { path: { id: a.id } },
          headers: { 'Idempotency-Key': key },
          body: { doseMg, devices, lotNumber: lotNumber.trim() },
        }),
      ),
    onSuccess: onSaved,
    // The service replays a refusal to the same key: once refused (say, until a provider clears a high BP),
    // the next press is a new attempt and needs a key of its own.
    onError: () => setKey(idempotencyKey()),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="form card" onSubmit={submit} aria-labelledby={`dose-${a.id}`}>
      <h3 id={`dose-${a.id}`}>Spravato dose</h3>
      <fieldset className="fieldset">
        <legend>Dose</legend>
        {([56, 84] as const).map((mg) => (
          <label key={mg} className="check">
            <input type="radio" name={`dose-${a.id}`} checked={doseMg === mg} onChange={() => setDose(mg)} /> {mg} mg ({mg === 56 ? 2 : 3} devices, 5 minutes
            apart)
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Lot number</span>
        <input required maxLength={40} value={lotNumber} onChange={(e) => setLot(e.target.value)} autoComplete="off" />
      </label>
      <p className="muted">The first device now; the service times the others 5 minutes apart.</p>
      <ProblemAlert error={save.error} title={save.error ? 'Dose not recorded' : undefined} />
      <Button type="submit" className="btn btn-primary" isDisabled={save.isPending}>
        Record dose
      </Button>
    </form>
  );
}

function TmsForm({ appointment: a, onSaved }: { appointment: Appointment; onSaved: () => Promise<unknown> }) {
  const [f, setF] = useState({ motorThresholdPercent: '', intensityPercent: '120', pulses: '3000', coilPosition: '' });
  const set = (field: keyof typeof f) => (value: string) => setF((old) => ({ ...old, [field]: value }));
  const [key] = useState(idempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/appointments/{id}/tms-record', {
          params: { path: { id: a.id } },
          headers: { 'Idempotency-Key': key },
          body: {
            intensityPercent: Number(f.intensityPercent),
            pulses: Number(f.pulses),
            ...(f.motorThresholdPercent ? { motorThresholdPercent: Number(f.motorThresholdPercent) } : {}),
            ...(f.coilPosition.trim() ? { coilPosition: f.coilPosition.trim() } : {}),
          },
        }),
      ),
    onSuccess: onSaved,
  });
  return (
    <form
      className="form card"
      aria-labelledby={`tms-${a.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3 id={`tms-${a.id}`}>TMS record</h3>
      <div className="grid-4">
        <NumberField label="Motor threshold %" value={f.motorThresholdPercent} onChange={set('motorThresholdPercent')} min={10} max={100} />
        <NumberField label="Intensity % of threshold" value={f.intensityPercent} onChange={set('intensityPercent')} min={50} max={150} required />
        <NumberField label="Pulses" value={f.pulses} onChange={set('pulses')} min={1} max={10000} required />
      </div>
      <label className="field">
        <span>Coil position</span>
        <input maxLength={200} value={f.coilPosition} onChange={(e) => set('coilPosition')(e.target.value)} />
      </label>
      <ProblemAlert error={save.error} />
      <Button type="submit" className="btn btn-primary" isDisabled={save.isPending}>
        Save TMS record
      </Button>
    </form>
  );
}

function DischargeForm({ appointment: a, onSaved }: { appointment: Appointment; onSaved: () => Promise<unknown> }) {
  const needsRide = ['spravato', 'ketamine', 'ect'].includes(a.type);
  const [rideConfirmed, setRide] = useState(false);
  const [rideShare, setRideShare] = useState(false);
  const [escortName, setEscort] = useState('');
  const [notes, setNotes] = useState('');
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/appointments/{id}/discharge', {
          params: { path: { id: a.id } },
          body: {
            ...(needsRide ? { rideConfirmed, rideShare } : {}),
            ...(a.type === 'ect' && escortName.trim() ? { escortName: escortName.trim() } : {}),
            ...(notes.trim() ? { notes: notes.trim() } : {}),
          },
        }),
      ),
    onSuccess: onSaved,
  });
  return (
    <form
      className="form card"
      aria-labelledby={`discharge-${a.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3 id={`discharge-${a.id}`}>Discharge</h3>
      {needsRide && (
        <>
          <label className="check">
            <input type="checkbox" checked={rideConfirmed} onChange={(e) => setRide(e.target.checked)} /> Ride home confirmed (the patient may not drive)
          </label>
          {a.type !== 'ect' && (
            <label className="check">
              <input type="checkbox" checked={rideShare} onChange={(e) => setRideShare(e.target.checked)} /> The ride is a ride-share
            </label>
          )}
        </>
      )}
      {a.type === 'ect' && (
        <label className="field">
          <span>Adult escort (name and relation)</span>
          <input maxLength={120} value={escortName} onChange={(e) => setEscort(e.target.value)} />
        </label>
      )}
      <label className="field">
        <span>Notes</span>
        <input maxLength={1000} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <ProblemAlert error={save.error} title={save.error ? 'Not discharged' : undefined} />
      <Button type="submit" className="btn btn-primary" isDisabled={save.isPending}>
        Discharge
      </Button>
    </form>
  );
}
