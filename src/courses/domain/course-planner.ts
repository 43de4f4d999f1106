import { addDays, daysBetween, formatWallTime, wallMinutes } from '../../common/clinic-time';
import { AcceleratedPhase, CourseOptions, PhaseRule, ProtocolDefinition, sessionBooking, SpacedPhase, WEEK_PATTERNS, WeeklyPhase } from './protocols';
import {
  dayLabel,
  deviationWarning,
  isCourseWeekday,
  laterOf,
  localInstant,
  PlacementOracle,
  placeOnDate,
  PlannedSession,
  PlanningLocation,
  rollToWeekday,
  SessionSpec,
} from './session-placement';

export interface CoursePlanRequest {
  protocol: ProtocolDefinition;
  options: CourseOptions;
  /** Clinic-local date of the first possible session. */
  startDate: string;
  /** Local wall time HH:mm every session aims for. */
  preferredTime: string;
  /** The main clinic first, then the alternates in the order to try them. */
  locations: PlanningLocation[];
  zone: string;
  /**
   * A replan of the course's later sessions: the phases that place them (tailPhases), their sequence
   * numbers in order, the date of the last session kept (the spacing counts from it) and how each is
   * booked (its current length). Without it the whole course is planned from session 1.
   */
  tail?: {
    phases: PhaseRule[];
    sequences: number[];
    afterDate?: string;
    booking: (sequence: number) => ReturnType<typeof sessionBooking>;
  };
}

export interface CoursePlan {
  sessions: PlannedSession[];
  warnings: string[];
}

/** A session that cannot be placed within the protocol's spacing limits: the whole course is refused. */
export class CoursePlanError extends Error {
  constructor(
    readonly sequence: number,
    readonly phase: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_REASONS = 4;
/** How many later block starts accelerated TMS tries (two weeks of weekdays). */
const ACCELERATED_BLOCK_STARTS = 10;

/**
 * Plans a whole course session by session: each phase of the protocol places its sessions on local
 * dates and wall times through the oracle, which keeps every accepted session so that the course's
 * own sessions never collide. Deviations from the preferred day, time or clinic become warnings.
 */
export function planCourse(request: CoursePlanRequest, oracle: PlacementOracle): CoursePlan {
  const planner = new Planner(request, oracle);
  let previous: { rule: PhaseRule; anchor: string } | undefined;
  for (const rule of request.tail?.phases ?? request.protocol.phases(request.options)) {
    const anchor = phaseAnchor(request.startDate, previous, planner.lastDate());
    if (rule.kind === 'spaced') planner.spaced(rule);
    else if (rule.kind === 'weekly') planner.weekly(rule, anchor);
    else planner.accelerated(rule);
    previous = { rule, anchor };
  }
  return { sessions: planner.sessions, warnings: planner.warnings };
}

/**
 * Where a phase's weeks start: the start date for the first phase; right after the previous weekly
 * phase's last week; the weekday after the last session of a spaced (daily) phase, so that a daily
 * phase that ran long because of a holiday flows straight into the taper.
 */
function phaseAnchor(startDate: string, previous: { rule: PhaseRule; anchor: string } | undefined, lastDate: string | undefined): string {
  if (!previous || !lastDate) return startDate;
  if (previous.rule.kind === 'weekly') return addDays(previous.anchor, 7 * previous.rule.perWeek.length);
  return rollToWeekday(addDays(lastDate, 1));
}

/** Every increasing choice of `count` dates from `days` with at least `minGap` days between neighbours. */
function spacedChoices(days: string[], count: number, minGap: number): string[][] {
  const result: string[][] = [];
  const pick = (from: number, chosen: string[]) => {
    if (chosen.length === count) {
      result.push(chosen);
      return;
    }
    for (let i = from; i < days.length; i++) {
      const last = chosen[chosen.length - 1];
      if (last && daysBetween(last, days[i]) < minGap) continue;
      pick(i + 1, [...chosen, days[i]]);
    }
  };
  pick(0, []);
  return result;
}

class Planner {
  readonly sessions: PlannedSession[] = [];
  readonly warnings: string[] = [];

  constructor(
    private readonly request: CoursePlanRequest,
    private readonly oracle: PlacementOracle,
  ) {}

  /** The date of the last session planned so far (of a replan: else the last session kept). */
  lastDate(): string | undefined {
    return this.sessions[this.sessions.length - 1]?.date ?? this.request.tail?.afterDate;
  }

  /** The session `ahead` places after the last one planned so far. */
  private spec(phase: string, ahead = 0): SessionSpec {
    const { tail, protocol } = this.request;
    const index = this.sessions.length + ahead;
    const sequence = tail ? tail.sequences[index] : index + 1;
    return { sequence, phase, ...(tail ? tail.booking(sequence) : sessionBooking(protocol, sequence)) };
  }

  private accept(session: PlannedSession, preferredDate: string, reasons: string[]): void {
    this.sessions.push(session);
    const warning = deviationWarning(session, preferredDate, this.request.preferredTime, this.request.locations, reasons);
    if (warning) this.warnings.push(warning);
  }

  private tryDate(spec: SessionSpec, date: string, resourceId?: string) {
    const { preferredTime, locations, zone } = this.request;
    return placeOnDate(this.oracle, { spec, date, preferredTime, locations, zone, resourceId });
  }

  /** One session after another on preferred weekdays; a day that cannot take it pushes it (and the rest) later. */
  spaced(rule: SpacedPhase): void {
    let phaseStart: string | undefined;
    for (let i = 0; i < rule.sessions; i++) {
      const spec = this.spec(rule.phase);
      const previous = this.lastDate();
      const earliest = previous ? laterOf(addDays(previous, rule.minGapDays), this.request.startDate) : this.request.startDate;
      const preferred = rollToWeekday(earliest, rule.preferredWeekdays);
      let latest = addDays(preferred, rule.maxSlipDays);
      if (rule.withinDays !== undefined && phaseStart) latest = [latest, addDays(phaseStart, rule.withinDays - 1)].sort()[0];
      const failures: string[] = [];
      let placed = false;
      for (let date = preferred; date <= latest; date = addDays(date, 1)) {
        if (!isCourseWeekday(date)) continue;
        const attempt = this.tryDate(spec, date);
        if (attempt.ok) {
          this.accept(attempt.session, preferred, [...failures, ...attempt.reasons]);
          placed = true;
          break;
        }
        failures.push(`${dayLabel(date)}: ${attempt.reasons.join(', ')}`);
      }
      if (!placed) {
        const limit = rule.withinDays !== undefined ? `, all ${rule.sessions} within ${rule.withinDays} days` : '';
        throw new CoursePlanError(
          spec.sequence,
          spec.phase,
          `Session ${spec.sequence} (${spec.phase}) cannot be placed from ${dayLabel(preferred)} to ${dayLabel(latest)} ` +
            `(at least ${rule.minGapDays} day(s) after the previous session${limit}): ${this.summarise(failures, preferred > latest)}`,
        );
      }
      phaseStart ??= this.lastDate();
    }
  }

  /** Course weeks from `anchor`: each week's sessions on its pattern days, or the nearest other days of that week that keep the spacing. */
  weekly(rule: WeeklyPhase, anchor: string): void {
    rule.perWeek.forEach((count, week) => {
      const weekStart = addDays(anchor, 7 * week);
      const weekEnd = addDays(weekStart, 6);
      const previous = this.lastDate();
      const earliest = laterOf(weekStart, laterOf(this.request.startDate, previous ? addDays(previous, rule.minGapDays) : weekStart));
      const pattern: string[] = [];
      for (const offset of WEEK_PATTERNS[count]) {
        const after = pattern.length ? addDays(pattern[pattern.length - 1], rule.minGapDays) : earliest;
        pattern.push(rollToWeekday(laterOf(addDays(weekStart, offset), after)));
      }
      const days: string[] = [];
      for (let date = earliest; date <= weekEnd; date = addDays(date, 1)) if (isCourseWeekday(date)) days.push(date);
      const score = (choice: string[]) => choice.reduce((sum, date, j) => sum + Math.abs(daysBetween(pattern[j], date)), 0);
      const forward = (choice: string[]) => choice.reduce((sum, date, j) => sum + daysBetween(pattern[j], date), 0);
      const choices = spacedChoices(days, count, rule.minGapDays).sort((a, b) => score(a) - score(b) || forward(b) - forward(a));

      // A session that cannot go on a date cannot go there in another choice either (the week's other
      // sessions are on other days), so each (session, date) is tried once.
      const failedOn = new Map<string, string>();
      const key = (j: number, date: string) => `${j}|${date}`;
      const specs = Array.from({ length: count }, (_, j) => this.spec(rule.phase, j));
      for (const choice of choices) {
        if (choice.some((date, j) => failedOn.has(key(j, date)))) continue;
        const mark = this.oracle.mark();
        const placed: Array<{ session: PlannedSession; reasons: string[] }> = [];
        for (const [j, date] of choice.entries()) {
          const attempt = this.tryDate(specs[j], date);
          if (!attempt.ok) {
            failedOn.set(key(j, date), attempt.reasons.join(', '));
            break;
          }
          placed.push(attempt);
        }
        if (placed.length === count) {
          placed.forEach(({ session, reasons }, j) => {
            const missed = failedOn.get(key(j, pattern[j]));
            this.accept(session, pattern[j], missed ? [`${dayLabel(pattern[j])}: ${missed}`, ...reasons] : reasons);
          });
          return;
        }
        this.oracle.rollback(mark);
      }
      const first = specs[0].sequence;
      const failures = [...new Map([...failedOn].map(([k, why]) => [k.split('|')[1], why]))].sort().map(([date, why]) => `${dayLabel(date)}: ${why}`);
      throw new CoursePlanError(
        first,
        rule.phase,
        `Session${count > 1 ? `s ${first}–${first + count - 1}` : ` ${first}`} (${rule.phase}) cannot be placed in the course week ` +
          `${dayLabel(weekStart)} – ${dayLabel(weekEnd)} with at least ${rule.minGapDays} day(s) between sessions: ` +
          this.summarise(failures, choices.length === 0),
      );
    });
  }

  /** Accelerated TMS: a block of consecutive weekdays on one device; the block moves later when it does not fit. */
  accelerated(rule: AcceleratedPhase): void {
    const failures: string[] = [];
    const firstDay = rollToWeekday(this.request.startDate);
    let blockStart = firstDay;
    for (let attempt = 0; attempt < ACCELERATED_BLOCK_STARTS; attempt++, blockStart = rollToWeekday(addDays(blockStart, 1))) {
      const days = [blockStart];
      while (days.length < rule.days) days.push(rollToWeekday(addDays(days[days.length - 1], 1)));
      for (const location of this.request.locations) {
        const devices = this.oracle.devices(location.id);
        if (!devices.length) failures.push(`${location.name}: no TMS device`);
        for (const device of devices) {
          const mark = this.oracle.mark();
          const before = { sessions: this.sessions.length, warnings: this.warnings.length };
          const failure = this.acceleratedBlock(rule, days, location, device);
          if (!failure) {
            const moved: string[] = [];
            if (blockStart !== firstDay) moved.push(`starts ${dayLabel(blockStart)} instead of ${dayLabel(firstDay)}`);
            if (location.id !== this.request.locations[0].id) moved.push(`at ${location.name} instead of ${this.request.locations[0].name}`);
            if (moved.length)
              this.warnings.splice(
                before.warnings,
                0,
                `The accelerated course ${moved.join(', ')} (${[...new Set(failures)].slice(0, MAX_REASONS).join('; ')}).`,
              );
            return;
          }
          this.sessions.length = before.sessions;
          this.warnings.length = before.warnings;
          this.oracle.rollback(mark);
          failures.push(`${location.name}: ${failure}`);
        }
      }
    }
    throw new CoursePlanError(
      1,
      'accelerated-day-1',
      `Accelerated TMS needs ${rule.perDay} sessions a day on ${rule.days} consecutive weekdays on one device; no block starting in the ` +
        `${ACCELERATED_BLOCK_STARTS} weekdays from ${dayLabel(firstDay)} fits: ${this.summarise([...new Set(failures)], false)}`,
    );
  }

  /** Plans one block on one device; returns why it does not fit, or undefined when it does. */
  private acceleratedBlock(rule: AcceleratedPhase, days: string[], location: PlanningLocation, device: string): string | undefined {
    const { protocol, preferredTime, zone } = this.request;
    for (const [dayIndex, date] of days.entries()) {
      const day = this.oracle.day(location.id, date);
      if (!day.open) return `${dayLabel(date)}: ${day.reason}`;
      const specs = Array.from({ length: rule.perDay }, (_, k) => this.spec(`accelerated-day-${dayIndex + 1}`, k));
      const occupancy = specs.map((s) =>
        s.firstOfCourse ? (protocol.firstSessionMinutes ?? protocol.occupancyMinutes) : (s.durationMinutes ?? protocol.occupancyMinutes),
      );
      const step = occupancy.map((minutes) => Math.max(rule.minStartGapMinutes, minutes));
      // Minutes from session k's start to the end of the day's last session.
      const tail = occupancy.map((_, k) => step.slice(k, -1).reduce((sum, m) => sum + m, 0) + occupancy[occupancy.length - 1]);
      const opens = wallMinutes(day.opens);
      const closes = wallMinutes(day.closes);
      if (closes - opens < tail[0]) {
        return `${dayLabel(date)}: ${location.name} is open ${day.opens}–${day.closes}, but ${rule.perDay} sessions starting at least ${rule.minStartGapMinutes} minutes apart need ${formatDuration(tail[0])}`;
      }
      const preferred = wallMinutes(preferredTime);
      let start = Math.max(opens, Math.min(preferred, opens + Math.floor((closes - tail[0] - opens) / day.slotMinutes) * day.slotMinutes));
      const late: string[] = [];
      if (start !== preferred) {
        this.warnings.push(
          `Accelerated day ${dayIndex + 1} (${dayLabel(date)}): first session at ${formatWallTime(start)} instead of ${preferredTime}, so that ${rule.perDay} sessions fit between ${day.opens} and ${day.closes}.`,
        );
      }
      for (const [k, spec] of specs.entries()) {
        let placed: PlannedSession | undefined;
        let refusal = 'no start left before closing';
        for (let t = start; t <= closes - tail[k] && !placed; t += day.slotMinutes) {
          const attempt = this.tryAt(spec, date, formatWallTime(t), location, device, zone);
          if (typeof attempt === 'string') refusal = attempt;
          else placed = attempt;
        }
        if (!placed) return `${dayLabel(date)}, session ${k + 1} of the day: ${refusal}`;
        if (placed.time !== formatWallTime(start)) late.push(`${placed.time} (planned ${formatWallTime(start)})`);
        this.sessions.push(placed);
        start = wallMinutes(placed.time) + step[k];
      }
      if (late.length) this.warnings.push(`Accelerated day ${dayIndex + 1} (${dayLabel(date)}): sessions moved later: ${late.join(', ')}.`);
    }
    return undefined;
  }

  /** Exactly this start on this device (the block's spacing decides where the next try goes), or why not. */
  private tryAt(spec: SessionSpec, date: string, time: string, location: PlanningLocation, device: string, zone: string): PlannedSession | string {
    const startsAt = localInstant(date, time, zone);
    if (!startsAt) return `${time} does not exist on ${date}`;
    const { sequence, firstOfCourse, durationMinutes } = spec;
    const result = this.oracle.hold({ sequence, locationId: location.id, startsAt, firstOfCourse, durationMinutes, resourceId: device });
    if (!result.ok) return result.detail;
    return { ...spec, date, time, startsAt, locationId: location.id, resourceId: result.resourceId };
  }

  private summarise(failures: string[], noDays: boolean): string {
    if (noDays || failures.length === 0) return 'no course weekday is left in that range';
    const shown = failures.slice(0, MAX_REASONS).join(' | ');
    return failures.length > MAX_REASONS ? `${shown} | … (${failures.length - MAX_REASONS} more)` : shown;
  }
}

function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

export interface ExtraSessionRequest extends Omit<CoursePlanRequest, 'startDate' | 'options'> {
  /** The date of the course's last session: the extra one comes on a later course day. */
  after: string;
  sequence: number;
  phase: string;
  minGapDays: number;
  maxSlipDays: number;
  /** Keep the course's device (accelerated TMS). */
  resourceId?: string;
}

/** One more session at the end of a course (a TMS make-up), placed like any other: preferred time, clinics, next days. */
export function planExtraSession(request: ExtraSessionRequest, oracle: PlacementOracle): { session: PlannedSession; warning?: string } {
  const { protocol, preferredTime, locations, zone, resourceId } = request;
  const spec: SessionSpec = { sequence: request.sequence, phase: request.phase, ...sessionBooking(protocol, request.sequence) };
  const preferred = rollToWeekday(addDays(request.after, request.minGapDays));
  const latest = addDays(preferred, request.maxSlipDays);
  const failures: string[] = [];
  for (let date = preferred; date <= latest; date = addDays(date, 1)) {
    if (!isCourseWeekday(date)) continue;
    const attempt = placeOnDate(oracle, { spec, date, preferredTime, locations, zone, resourceId });
    if (attempt.ok) {
      return { session: attempt.session, warning: deviationWarning(attempt.session, preferred, preferredTime, locations, [...failures, ...attempt.reasons]) };
    }
    failures.push(`${dayLabel(date)}: ${attempt.reasons.join(', ')}`);
  }
  throw new CoursePlanError(
    spec.sequence,
    spec.phase,
    `Session ${spec.sequence} (${spec.phase}) cannot be placed from ${dayLabel(preferred)} to ${dayLabel(latest)}: ${failures.slice(0, MAX_REASONS).join(' | ')}`,
  );
}
