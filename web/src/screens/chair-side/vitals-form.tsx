import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { api, idempotencyKey, unwrap, type Appointment, type Schemas } from '../../api/client';
import { ProblemAlert } from '../../ui/problem-alert';

type Timepoint = Schemas['RecordVitalsDto']['timepoint'];

export const TIMEPOINT_LABEL: Record<Timepoint, string> = {
  pre_dose: 'Before the dose',
  post_dose_40: 'About 40 min after the first device',
  intra: 'During treatment',
  discharge: 'Before discharge',
  other: 'Other',
};

export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  required = false,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  min: number;
  max: number;
  required?: boolean;
}) {
  return (
    <label className="field field-small">
      <span>{label}</span>
      <input type="number" inputMode="numeric" min={min} max={max} required={required} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** Vitals at a timepoint (the 40-minute one may come late, with the reason), and whether dissociation has resolved. */
export function VitalsForm({ appointment: a, dosed, onSaved }: { appointment: Appointment; dosed: boolean; onSaved: () => Promise<unknown> }) {
  const spravato = a.type === 'spravato';
  const suggested: Timepoint = spravato
    ? !dosed
      ? 'pre_dose'
      : a.status === 'observing'
        ? 'post_dose_40'
        : 'other'
    : a.status === 'in_treatment'
      ? 'intra'
      : 'other';
  const [timepoint, setTimepoint] = useState<Timepoint>(suggested);
  const [v, setV] = useState({
    systolic: '',
    diastolic: '',
    heartRate: '',
    spo2: '',
    respiratoryRate: '',
    sedationScore: '',
    dissociationScore: '',
    deviationReason: '',
    notes: '',
  });
  // The clinician's judgement at a Spravato discharge (the label sets no CADSS number).
  const [dissociationResolved, setDissociationResolved] = useState(false);
  const set = (field: keyof typeof v) => (value: string) => setV((old) => ({ ...old, [field]: value }));
  const [key, setKey] = useState(idempotencyKey);
  const int = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/appointments/{id}/vitals', {
          params: { path: { id: a.id } },
          headers: { 'Idempotency-Key': key },
          body: {
            timepoint,
            systolic: Number(v.systolic),
            diastolic: Number(v.diastolic),
            heartRate: Number(v.heartRate),
            spo2: Number(v.spo2),
            respiratoryRate: int(v.respiratoryRate),
            sedationScore: int(v.sedationScore),
            dissociationScore: int(v.dissociationScore),
            ...(spravato && timepoint === 'discharge' ? { dissociationResolved } : {}),
            ...(timepoint === 'post_dose_40' && v.deviationReason.trim() ? { deviationReason: v.deviationReason.trim() } : {}),
            notes: v.notes.trim() || undefined,
          },
        }),
      ),
    onSuccess: async () => {
      setV({
        systolic: '',
        diastolic: '',
        heartRate: '',
        spo2: '',
        respiratoryRate: '',
        sedationScore: '',
        dissociationScore: '',
        deviationReason: '',
        notes: '',
      });
      setDissociationResolved(false);
      setKey(idempotencyKey());
      await onSaved();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="form card" onSubmit={submit} aria-labelledby={`vitals-${a.id}`}>
      <h3 id={`vitals-${a.id}`}>Record vitals</h3>
      <label className="field">
        <span>Timepoint</span>
        <select value={timepoint} onChange={(e) => setTimepoint(e.target.value as Timepoint)}>
          {(Object.keys(TIMEPOINT_LABEL) as Timepoint[]).map((t) => (
            <option key={t} value={t}>
              {TIMEPOINT_LABEL[t]}
            </option>
          ))}
        </select>
      </label>
      <div className="grid-4">
        <NumberField label="Systolic" value={v.systolic} onChange={set('systolic')} min={50} max={300} required />
        <NumberField label="Diastolic" value={v.diastolic} onChange={set('diastolic')} min={20} max={200} required />
        <NumberField label="Heart rate" value={v.heartRate} onChange={set('heartRate')} min={20} max={250} required />
        <NumberField label="SpO₂ %" value={v.spo2} onChange={set('spo2')} min={50} max={100} required />
        <NumberField label="Resp. rate" value={v.respiratoryRate} onChange={set('respiratoryRate')} min={4} max={60} />
        <NumberField
          label="Sedation (MOAA/S 0–5)"
          value={v.sedationScore}
          onChange={set('sedationScore')}
          min={0}
          max={5}
          required={timepoint === 'discharge'}
        />
        <NumberField label="Dissociation (CADSS)" value={v.dissociationScore} onChange={set('dissociationScore')} min={0} max={92} />
      </div>
      {spravato && timepoint === 'discharge' && (
        <label className="check">
          <input type="checkbox" checked={dissociationResolved} onChange={(e) => setDissociationResolved(e.target.checked)} />
          <span>Dissociation resolved (clinician&apos;s judgement)</span>
        </label>
      )}
      {timepoint === 'post_dose_40' && (
        <label className="field">
          <span>Reason if not 30–60 minutes after the first device</span>
          <input maxLength={500} value={v.deviationReason} onChange={(e) => set('deviationReason')(e.target.value)} />
        </label>
      )}
      <label className="field">
        <span>Notes</span>
        <input maxLength={1000} value={v.notes} onChange={(e) => set('notes')(e.target.value)} />
      </label>
      <ProblemAlert error={save.error} title={save.error ? 'Vitals not saved' : undefined} />
      <Button type="submit" className="btn btn-primary" isDisabled={save.isPending}>
        Save vitals
      </Button>
    </form>
  );
}
