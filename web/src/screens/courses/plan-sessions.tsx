import type { Schemas } from '../../api/client';
import { clinicDate, clinicTime, longDate } from '../../time';

type CourseSession = Schemas['CourseResponse']['sessions'][number];

/** A plan's warnings (each deviation from the preferred day, time or clinic), when it has any. */
export function PlanWarnings({ warnings }: { warnings: string[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <div className="warnings">
      <h3>Warnings</h3>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

/** A course's sessions as planned or booked: number, day, time, clinic (and resource, when given), phase. */
export function PlanSessions({
  sessions,
  caption,
  zone,
  clinicName,
  resourceOf,
}: {
  sessions: CourseSession[];
  caption: string;
  zone: string;
  clinicName: (id: string) => string;
  resourceOf?: (session: CourseSession) => string;
}) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Day</th>
          <th scope="col">Time</th>
          <th scope="col">Clinic</th>
          {resourceOf && <th scope="col">Resource</th>}
          <th scope="col">Phase</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s, i) => (
          <tr key={i}>
            <td>{s.sequence ?? '—'}</td>
            <td>{longDate(clinicDate(s.startsAt, zone))}</td>
            <td>{clinicTime(s.startsAt, zone)}</td>
            <td>{clinicName(s.locationId)}</td>
            {resourceOf && <td>{resourceOf(s)}</td>}
            <td>{s.phase}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
