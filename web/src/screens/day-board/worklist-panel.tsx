import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap, type Location, type Schemas } from '../../api/client';
import { patientName, usePatients } from '../../data';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicDate, clinicTime, longDate } from '../../time';
import '../../live/live.css';

type WorklistItem = Schemas['WorklistItemResponse'];

const KIND_LABEL: Record<WorklistItem['kind'], string> = {
  'reschedule-request': 'Reschedule request',
  'closure-affected': 'Clinic closed',
  'chair-conflict': 'Chair conflict',
  'unmatched-reply': 'Unmatched reply',
  'offer-expired': 'Waitlist offer expired',
};

export const worklistKey = (locationId: string) => ['worklist', locationId] as const;

/** The clinic's open worklist beside the day board: what the front desk must look at, oldest first; each marked done with a note. */
export function WorklistPanel({ clinic, canResolve }: { clinic: Location; canResolve: boolean }) {
  const items = useQuery({
    queryKey: worklistKey(clinic.id),
    queryFn: async () => unwrap(await api.GET('/api/worklist', { params: { query: { locationId: clinic.id, limit: 50 } } })),
  });
  const patients = usePatients((items.data ?? []).flatMap((i) => (i.patientId ? [i.patientId] : [])));
  const list = items.data ?? [];
  return (
    <section className="panel worklist" aria-labelledby="worklist-heading" aria-busy={items.isLoading}>
      <h2 id="worklist-heading">
        Worklist <span className="count">{items.data ? `(${list.length})` : ''}</span>
      </h2>
      <ProblemAlert error={items.error} />
      {items.data && list.length === 0 && <p className="muted">Nothing to look at.</p>}
      <ul className="worklist-items">
        {list.map((item) => (
          <WorklistEntry
            key={item.id}
            item={item}
            clinic={clinic}
            name={item.patientId ? patientName(patients.get(item.patientId)) : undefined}
            canResolve={canResolve}
          />
        ))}
      </ul>
    </section>
  );
}

function WorklistEntry({ item, clinic, name, canResolve }: { item: WorklistItem; clinic: Location; name?: string; canResolve: boolean }) {
  const queryClient = useQueryClient();
  const [resolving, setResolving] = useState(false);
  const [resolution, setResolution] = useState('');
  const done = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/worklist/{id}/done', {
          params: { path: { id: item.id } },
          body: resolution.trim() ? { resolution: resolution.trim() } : {},
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: worklistKey(clinic.id) }),
  });
  const headingId = `worklist-${item.id}`;
  return (
    <li className={`worklist-item kind-${item.kind}`} aria-labelledby={headingId}>
      <p id={headingId} className="worklist-kind">
        {KIND_LABEL[item.kind]}
        {name ? `: ${name}` : ''}
      </p>
      <p>{item.detail}</p>
      <p className="muted">
        Since {longDate(clinicDate(item.createdAt, clinic.timezone))} {clinicTime(item.createdAt, clinic.timezone)}
      </p>
      {canResolve && !resolving && (
        <Button className="btn" onPress={() => setResolving(true)}>
          Mark done…
        </Button>
      )}
      {resolving && (
        <form
          className="form"
          aria-label={`Resolve: ${KIND_LABEL[item.kind]}`}
          onSubmit={(event) => {
            event.preventDefault();
            done.mutate();
          }}
        >
          <label className="field">
            <span>What was done (no patient names)</span>
            <input maxLength={200} value={resolution} onChange={(e) => setResolution(e.target.value)} placeholder="Called; moved to Thursday" />
          </label>
          <ProblemAlert error={done.error} title={done.error ? 'Not marked done' : undefined} />
          <div className="dialog-actions">
            <Button type="submit" className="btn btn-primary" isDisabled={done.isPending}>
              Mark done
            </Button>
            <Button className="btn" onPress={() => setResolving(false)}>
              Back
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}
