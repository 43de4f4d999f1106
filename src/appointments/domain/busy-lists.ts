import { LONGEST_HOLD_MINUTES, type Interval } from './appointment-types';
import type { Busy } from './slot-rules';

/**
 * The intervals of `list` that overlap `span`. `list` is sorted by start and its intervals never overlap
 * one another (one resource's segments, one provider's visits: the exclusion constraints see to it), so
 * their ends are sorted too and a binary search finds the first candidate.
 */
export function overlappingSorted(list: Busy[], span: Interval, exclude?: string): Busy[] {
  // Epoch numbers, not Dates: comparing two Dates with < converts both through valueOf, which cost the
  // planner more than the search itself (BENCHMARKS.md, course dry run).
  const start = span.start.getTime();
  const end = span.end.getTime();
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].end.getTime() <= start) low = middle + 1;
    else high = middle;
  }
  const found: Busy[] = [];
  for (let i = low; i < list.length && list[i].start.getTime() < end; i++) {
    if (list[i].appointmentId !== exclude) found.push(list[i]);
  }
  return found;
}

const LONGEST_HOLD_MS = LONGEST_HOLD_MINUTES * 60_000;

/**
 * The intervals of `list` that overlap `span`, for a list sorted by start whose intervals may overlap one
 * another (observation windows of different patients) but are never longer than LONGEST_HOLD_MS.
 */
export function overlappingBounded(list: Busy[], span: Interval, exclude?: string): Busy[] {
  const earliest = span.start.getTime() - LONGEST_HOLD_MS;
  const start = span.start.getTime();
  const end = span.end.getTime();
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].start.getTime() < earliest) low = middle + 1;
    else high = middle;
  }
  const found: Busy[] = [];
  for (let i = low; i < list.length && list[i].start.getTime() < end; i++) {
    if (list[i].end.getTime() > start && list[i].appointmentId !== exclude) found.push(list[i]);
  }
  return found;
}

/** Adds an interval to a list kept sorted by start (see overlappingSorted). */
export function insertSorted(list: Busy[], busy: Busy): void {
  const start = busy.start.getTime();
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].start.getTime() <= start) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, busy);
}
