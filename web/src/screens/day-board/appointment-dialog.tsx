import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Appointment, type Location, type Patient, type Resource } from '../../api/client';
import { patientName, STATUS_LABEL, TYPE_LABEL } from '../../data';
import { ModalDialog } from '../../ui/modal';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicDate, clinicInstant, clinicTime, longDate } from '../../time';
import { KIND_OF, startTimes } from './booking-dialog';

interface Props {
  appointment: Appointment;
  patient: Patient | undefined;
  clinic: Location;
  resources: Resource[];
  opens: string;
  closes: string;
  canChange: boolean;
  onClose: () => void;
}

type Mode = 'view' | 'reschedule' | 'cancel' | 'no-show';

/** One appointment: what it is, and (front desk) reschedule, cancel or mark a no-show. */
export function AppointmentDialog({ appointment: a, patient, clinic, resources, opens, closes, canChange, onClose }: Props) {
  const queryClient = useQueryClient();
  const zone = clinic.timezone;
  const [mode, setMode] = useState<Mode>('view');
  const [date, setDate] = useState(clinicDate(a.startsAt, zone));
  const [time, setTime] = useState(clinicTime(a.startsAt, zone));
  const [resourceId, setResourceId] = useState(a.resourceId ?? '');
  const [reason, setReason] = useState('');
  const name = (id: string | null | undefined) => resources.find((r) => r.id === id)?.name ?? '—';
  const changeable = canChange && a.status === 'scheduled';

  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: ['appointments', clinic.id] });
    onClose();
  };
  const action = useMutation({
    mutationFn: async () => {
      const path = { params: { path: { id: a.id } } };
      if (mode === 'reschedule') {
        const startsAt = clinicInstant(date, time, zone);
        if (!startsAt) throw new Error(`${time} does not exist on ${date} (the clocks go forward).`);
        return unwrap(
          await api.PATCH('/api/appointments/{id}', { ...path, body: { startsAt, ...(resourceId && resourceId !== a.resourceId ? { resourceId } : {}) } }),
        );
      }
      if (mode === 'cancel') return unwrap(await api.POST('/api/appointments/{id}/cancel', { ...path, body: { reason: reason.trim() } }));
      return unwrap(await api.POST('/api/appointments/{id}/no-show', { ...path, body: reason.trim() ? { reason: reason.trim() } : {} }));
    },
    onSuccess: done,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    action.mutate();
  }

  const kind = KIND_OF[a.type];
  return (
    <ModalDialog title={`${TYPE_LABEL[a.type]}: ${patientName(patient ?? a.patient)}`} isOpen onClose={onClose}>
      <dl className="facts">
        <dt>When</dt>
        <dd>
          {longDate(clinicDate(a.startsAt, zone))}, {clinicTime(a.occupancy.startsAt, zone)}–{clinicTime(a.occupancy.endsAt, zone)}
        </dd>
        <dt>Where</dt>
        <dd>
          {a.segments.length
            ? a.segments.map((s) => `${name(s.resourceId)} ${clinicTime(s.startsAt, zone)}–${clinicTime(s.endsAt, zone)}`).join(', ')
            : a.mode === 'telehealth'
              ? 'Telehealth'
              : 'Visit'}
        </dd>
        {a.observation && (
          <>
            <dt>Observation</dt>
            <dd>
              {clinicTime(a.observation.startsAt, zone)}–{clinicTime(a.observation.endsAt, zone)}
            </dd>
          </>
        )}
        <dt>Status</dt>
        <dd>{STATUS_LABEL[a.status]}</dd>
        {a.status === 'scheduled' && (
          <>
            <dt>Confirmed</dt>
            <dd>{a.confirmedAt ? `Yes, by text on ${longDate(clinicDate(a.confirmedAt, zone))} at ${clinicTime(a.confirmedAt, zone)}` : 'Not yet'}</dd>
          </>
        )}
        {patient && (
          <>
            <dt>Born</dt>
            <dd>{patient.dateOfBirth}</dd>
          </>
        )}
        {a.cancelReason && (
          <>
            <dt>Reason</dt>
            <dd>{a.cancelReason}</dd>
          </>
        )}
      </dl>
      {(a.warnings ?? []).length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {a.warnings!.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}

      {changeable && mode === 'view' && (
        <div className="dialog-actions">
          <Button className="btn" onPress={() => setMode('reschedule')}>
            Reschedule…
          </Button>
          <Button className="btn" onPress={() => setMode('cancel')}>
            Cancel appointment…
          </Button>
          <Button className="btn" onPress={() => setMode('no-show')}>
            No-show…
          </Button>
        </div>
      )}

      {mode !== 'view' && (
        <form onSubmit={submit} className="form">
          {mode === 'reschedule' && (
            <fieldset className="fieldset">
              <legend>New time</legend>
              <div className="grid-2">
                <label className="field">
                  <span>Day</span>
                  <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
                </label>
                <label className="field">
                  <span>Start</span>
                  <select value={time} onChange={(e) => setTime(e.target.value)}>
                    {startTimes(opens, closes, clinic.slotMinutes).map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </select>
                </label>
                {kind && (
                  <label className="field">
                    <span>Resource</span>
                    <select value={resourceId} onChange={(e) => setResourceId(e.target.value)}>
                      {resources
                        .filter((r) => r.active && r.kind === kind)
                        .map((r) => (
                          <option key={r.id} value={r.id}>
                            {r.name}
                          </option>
                        ))}
                    </select>
                  </label>
                )}
              </div>
            </fieldset>
          )}
          {mode === 'cancel' && (
            <label className="field">
              <span>Reason for cancelling</span>
              <input required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Patient called: unwell" />
            </label>
          )}
          {mode === 'no-show' && (
            <>
              <p>Mark this appointment as a no-show? The patient did not come.</p>
              <label className="field">
                <span>Reason (optional, no diagnosis)</span>
                <input maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="No answer on two calls" />
              </label>
            </>
          )}
          <ProblemAlert error={action.error} title={action.error ? 'Not changed' : undefined} />
          <div className="dialog-actions">
            <Button type="submit" className="btn btn-primary" isDisabled={action.isPending}>
              {mode === 'reschedule' ? 'Move appointment' : mode === 'cancel' ? 'Cancel appointment' : 'Mark no-show'}
            </Button>
            <Button className="btn" onPress={() => setMode('view')}>
              Back
            </Button>
          </div>
        </form>
      )}
      {mode === 'view' && (
        <div className="dialog-actions">
          <Button className="btn btn-quiet" onPress={onClose}>
            Close
          </Button>
        </div>
      )}
    </ModalDialog>
  );
}
