import { Button } from 'react-aria-components';
import type { Location } from '../api/client';
import { selectClinic } from '../data';
import { setQuery } from '../router';
import { addDays, longDate } from '../time';

/** Clinic and day pickers of a board; the day is optional (chair-side is always today). */
export function ClinicDayBar({ clinics, clinic, date, today }: { clinics: Location[]; clinic: Location; date?: string; today?: string }) {
  return (
    <div className="toolbar" role="group" aria-label="Clinic and day">
      <label className="field-inline">
        <span>Clinic</span>
        <select value={clinic.code} onChange={(e) => selectClinic(e.target.value)}>
          {clinics.map((c) => (
            <option key={c.id} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {date && (
        <>
          <Button className="btn" aria-label="Previous day" onPress={() => setQuery({ date: addDays(date, -1) })}>
            ←
          </Button>
          <label className="field-inline">
            <span>Day</span>
            <input type="date" value={date} required onChange={(e) => e.target.value && setQuery({ date: e.target.value })} />
          </label>
          <Button className="btn" aria-label="Next day" onPress={() => setQuery({ date: addDays(date, 1) })}>
            →
          </Button>
          {today && date !== today && (
            <Button className="btn" onPress={() => setQuery({ date: today })}>
              Today
            </Button>
          )}
          <span className="toolbar-date" aria-live="polite">
            {longDate(date)}
          </span>
        </>
      )}
    </div>
  );
}
