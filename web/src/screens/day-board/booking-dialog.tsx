import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, idempotencyKey, unwrap, type AppointmentType, type Location, type Patient, type Resource } from '../../api/client';
import { keys, patientName, TYPE_LABEL } from '../../data';
import { ModalDialog } from '../../ui/modal';
import { ProblemAlert } from '../../ui/problem-alert';
import { clinicInstant, fromMinutes, longDate, toMinutes } from '../../time';

export interface BookingStart {
  resourceId?: string;
  time: string;
}

/** The resource kind each type holds first; visits hold none. */
export const KIND_OF: Record<AppointmentType, Resource['kind'] | null> = {
  spravato: 'treatment_chair',
  ketamine: 'treatment_chair',
  tms: 'tms_device',
  ect: 'ect_suite',
  intake: null,
  follow_up: null,
};

const TYPE_FOR_KIND: Partial<Record<Resource['kind'], AppointmentType>> = { treatment_chair: 'spravato', tms_device: 'tms', ect_suite: 'ect' };

/** The start times of the slot grid within opening hours. */
export function startTimes(opens: string, closes: string, slotMinutes: number): string[] {
  const times: string[] = [];
  for (let m = toMinutes(opens); m < toMinutes(closes); m += slotMinutes) times.push(fromMinutes(m));
  return times;
}

interface Props {
  clinic: Location;
  date: string;
  opens: string;
  closes: string;
  resources: Resource[];
  start: BookingStart;
  onClose: () => void;
}

export function BookingDialog({ clinic, date, opens, closes, resources, start, onClose }: Props) {
  const queryClient = useQueryClient();
  const clicked = resources.find((r) => r.id === start.resourceId);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [type, setType] = useState<AppointmentType>((clicked && TYPE_FOR_KIND[clicked.kind]) ?? 'spravato');
  const [chosenResource, setResourceId] = useState<string>(start.resourceId ?? '');
  const [time, setTime] = useState(start.time);
  // One key per dialog: a double click or a retry after a timeout books once.
  const [key] = useState(idempotencyKey);

  const kind = KIND_OF[type];
  const choices = resources.filter((r) => r.active && r.kind === kind);
  // A chair clicked on the board is no choice for a TMS session: then any free device.
  const resourceId = choices.some((r) => r.id === chosenResource) ? chosenResource : '';

  const book = useMutation({
    mutationFn: async () => {
      const startsAt = clinicInstant(date, time, clinic.timezone);
      if (!startsAt) throw new Error(`${time} does not exist on ${date} (the clocks go forward).`);
      return unwrap(
        await api.POST('/api/appointments', {
          params: { header: { 'Idempotency-Key': key } },
          body: { patientId: patient!.id, type, locationId: clinic.id, startsAt, ...(resourceId ? { resourceId } : {}) },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.day(clinic.id, date) });
      onClose();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (patient) book.mutate();
  }

  return (
    <ModalDialog title={`Book at ${clinic.name}, ${longDate(date)}`} isOpen onClose={onClose}>
      <form onSubmit={submit} className="form">
        <PatientPicker clinic={clinic} patient={patient} onPick={setPatient} />
        <label className="field">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value as AppointmentType)}>
            {(Object.keys(TYPE_LABEL) as AppointmentType[]).map((t) => (
              <option key={t} value={t}>
                {TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
        {kind && (
          <label className="field">
            <span>Resource</span>
            <select value={resourceId} onChange={(e) => setResourceId(e.target.value)}>
              <option value="">Any free one (the patient's usual first)</option>
              {choices.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Start</span>
          <select value={time} onChange={(e) => setTime(e.target.value)}>
            {startTimes(opens, closes, clinic.slotMinutes).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <ProblemAlert error={book.error} title={book.error ? 'Not booked' : undefined} />
        <div className="dialog-actions">
          <Button type="submit" className="btn btn-primary" isDisabled={!patient || book.isPending}>
            {book.isPending ? 'Booking…' : 'Book'}
          </Button>
          <Button className="btn" onPress={onClose}>
            Close
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}

/** Search by name, phone or date of birth, or register a new patient on the spot. */
export function PatientPicker({ clinic, patient, onPick }: { clinic: Location; patient: Patient | null; onPick: (p: Patient | null) => void }) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  // Unique per picker: the course planner shows two.
  const labelId = useId();
  useEffect(() => {
    const t = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const results = useQuery({
    queryKey: ['patient-search', search],
    enabled: search.length >= 2 && !patient,
    queryFn: async () => unwrap(await api.GET('/api/patients', { params: { query: { search, limit: 8 } } })),
  });

  if (patient) {
    return (
      <div className="field">
        <span className="field-label" id={labelId}>
          Patient
        </span>
        <p className="picked" aria-labelledby={labelId}>
          <strong>{patientName(patient)}</strong> · born {patient.dateOfBirth}{' '}
          <Button className="btn btn-quiet" onPress={() => onPick(null)}>
            Change patient
          </Button>
        </p>
      </div>
    );
  }
  if (creating) return <QuickCreate clinic={clinic} onCreated={onPick} onCancel={() => setCreating(false)} />;
  return (
    <fieldset className="fieldset">
      <legend>Patient</legend>
      <label className="field">
        <span>Search by name, phone or date of birth</span>
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      </label>
      <ProblemAlert error={results.error} />
      {results.data && (
        <ul className="results" aria-label="Matching patients">
          {results.data.length === 0 && <li>No patient matches “{search}”.</li>}
          {results.data.map((p) => (
            <li key={p.id}>
              <Button className="btn btn-result" onPress={() => onPick(p)}>
                {patientName(p)} · born {p.dateOfBirth}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button className="btn btn-quiet" onPress={() => setCreating(true)}>
        New patient…
      </Button>
    </fieldset>
  );
}

function QuickCreate({ clinic, onCreated, onCancel }: { clinic: Location; onCreated: (p: Patient) => void; onCancel: () => void }) {
  const [form, setForm] = useState({ firstName: '', lastName: '', dateOfBirth: '', phone: '', smsOptIn: false, remsEnrolled: false });
  const [key] = useState(idempotencyKey);
  const set = (field: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [field]: e.target.type === 'checkbox' ? e.target.checked : e.target.value }));
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/patients', {
          // Creating a patient takes an Idempotency-Key like every creating POST.
          headers: { 'Idempotency-Key': key },
          body: {
            firstName: form.firstName.trim(),
            lastName: form.lastName.trim(),
            dateOfBirth: form.dateOfBirth,
            phone: form.phone.trim(),
            smsOptIn: form.smsOptIn,
            preferredLocationId: clinic.id,
            ...(form.remsEnrolled ? { remsEnrolledAt: new Date().toISOString() } : {}),
          },
        }),
      ),
    onSuccess: onCreated,
  });
  const today = useMemo(() => new Date().toISOString().slice(0, 10), []);
  return (
    <fieldset className="fieldset">
      <legend>New patient</legend>
      <div className="grid-2">
        <label className="field">
          <span>First name</span>
          <input required value={form.firstName} onChange={set('firstName')} autoComplete="off" />
        </label>
        <label className="field">
          <span>Last name</span>
          <input required value={form.lastName} onChange={set('lastName')} autoComplete="off" />
        </label>
        <label className="field">
          <span>Date of birth</span>
          <input type="date" required max={today} value={form.dateOfBirth} onChange={set('dateOfBirth')} />
        </label>
        <label className="field">
          <span>Mobile phone (E.164, e.g. +13035550100)</span>
          <input type="tel" required value={form.phone} onChange={set('phone')} autoComplete="off" />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.smsOptIn} onChange={set('smsOptIn')} /> Agrees to reminder texts
      </label>
      <label className="check">
        <input type="checkbox" checked={form.remsEnrolled} onChange={set('remsEnrolled')} /> Enrolled in the Spravato REMS
      </label>
      <ProblemAlert error={create.error} title={create.error ? 'Patient not created' : undefined} />
      <div className="dialog-actions">
        <Button className="btn" isDisabled={create.isPending} onPress={() => create.mutate()}>
          Create patient
        </Button>
        <Button className="btn btn-quiet" onPress={onCancel}>
          Search instead
        </Button>
      </div>
    </fieldset>
  );
}
