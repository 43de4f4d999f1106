import { daysBetween } from '../../common/clinic-time';
import { MAX_REPORT_DAYS } from './report-names';

/** Why a report's range is refused, naming the field; undefined when it is fine. */
export function rangeProblem(from: string, to: string): { field: 'to'; message: string } | undefined {
  const days = daysBetween(from, to) + 1;
  if (days < 1) return { field: 'to', message: 'to must be on or after from' };
  if (days > MAX_REPORT_DAYS) return { field: 'to', message: `a report spans at most ${MAX_REPORT_DAYS} days` };
  return undefined;
}
