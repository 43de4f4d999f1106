import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Location, type Schemas } from '../../api/client';
import { keys, LIVE_REFETCH_MS } from '../../data';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicTime } from '../../time';

type Waiting = Schemas['WaitingClearanceResponse'];

const nameOf = (w: Waiting) => `${w.patient.lastName}, ${w.patient.firstName}`;

/**
 * Provider: today's Spravato sessions at the clinic held up by a pre-dose BP above 140/90, each cleared
 * here with the clinical reason. The clinic's event stream (opened by the REMS desk) refreshes it when a
 * nurse records a reading or another provider clears one.
 */
export function ClearanceQueue({ clinic }: { clinic: Location }) {
  const waiting = useQuery({
    queryKey: keys.clearances(clinic.id),
    refetchInterval: LIVE_REFETCH_MS,
    queryFn: async () => unwrap(await api.GET('/api/dosing-clearances/waiting', { params: { query: { locationId: clinic.id } } })),
  });
  const list = waiting.data ?? [];
  return (
    <section className="panel clearances" aria-labelledby="clearances-heading" aria-busy={waiting.isLoading}>
      <h2 id="clearances-heading">
        Dosing clearances waiting <span className="count">{waiting.data ? `(${list.length})` : ''}</span>
      </h2>
      <ProblemAlert error={waiting.error} />
      {waiting.data && list.length === 0 && <p className="muted">No session is waiting for a clearance.</p>}
      <ul className="worklist-items">
        {list.map((w) => (
          <WaitingEntry key={`${w.appointmentId}-${w.reading.vitalsId}`} waiting={w} clinic={clinic} />
        ))}
      </ul>
    </section>
  );
}

function WaitingEntry({ waiting: w, clinic }: { waiting: Waiting; clinic: Location }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const clear = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/appointments/{id}/dosing-clearance', { params: { path: { id: w.appointmentId } }, body: { reason: reason.trim() } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.clearances(clinic.id) });
      await queryClient.invalidateQueries({ queryKey: keys.session(w.appointmentId) });
    },
  });
  const headingId = `clearance-${w.appointmentId}`;
  const name = nameOf(w);
  return (
    <li className="worklist-item" aria-labelledby={headingId}>
      <p id={headingId} className="worklist-kind">
        {name}
      </p>
      <p>
        {clinicTime(w.startsAt, clinic.timezone)}
        {w.chair ? ` · ${w.chair.name}` : ''} · {w.status === 'checked_in' ? 'Checked in' : 'In treatment'}
      </p>
      <p>
        <strong className="warn">
          Pre-dose BP {w.reading.systolic}/{w.reading.diastolic}
        </strong>{' '}
        at {clinicTime(w.reading.takenAt, clinic.timezone)}: above 140/90
      </p>
      {!open && (
        <Button className="btn" aria-label={`Clear dosing: ${name}`} onPress={() => setOpen(true)}>
          Clear dosing…
        </Button>
      )}
      {open && (
        <form
          className="form"
          aria-label={`Clear dosing: ${name}`}
          onSubmit={(event) => {
            event.preventDefault();
            clear.mutate();
          }}
        >
          <label className="field">
            <span>Why dosing may go ahead (the clinical reason, kept with the chart)</span>
            <textarea required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ProblemAlert error={clear.error} title={clear.error ? 'Not cleared' : undefined} />
          <div className="dialog-actions">
            <Button type="submit" className="btn btn-primary" isDisabled={clear.isPending}>
              Clear dosing
            </Button>
            <Button className="btn" onPress={() => setOpen(false)}>
              Back
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}
