import { BookingContext } from '../appointments/domain/slot-rules';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BookingService } from '../appointments/booking.service';
import { defaultMinutesFor, planningNeedsOf } from '../appointments/domain/appointment-types';
import type { Treatment } from '../appointments/domain/vocabulary';
import { addDays, CLINIC_ZONE, clinicDayBounds, formatWallTime, wallMinutes } from '../common/clinic-time';
import { RuleViolation } from '../common/problems';
import { LocationEntity } from '../locations/location.entity';
import { CalendarOracle, PlanningCalendar } from './domain/calendar-oracle';
import { CoursePlan, CoursePlanError, CoursePlanRequest, ExtraSessionRequest, planCourse, planExtraSession } from './domain/course-planner';
import { CoursesRepository } from './courses.repository';
import { CourseOptions, nominalSpanDays, ProtocolDefinition } from './domain/protocols';
import { CalendarBandExceeded, CalendarHorizonExceeded, PlannedSession, SAME_DAY_WINDOW_MINUTES } from './domain/session-placement';

/** Days loaded beyond a course's nominal span, for sessions pushed later by closures and full days. */
const HORIZON_MARGIN_DAYS = 28;
/** Past this the planner gives up rather than load ever longer calendars. */
const MAX_HORIZON_DAYS = 800;
/** A make-up session is looked for in the two weeks after the course's last session. */
const MAKE_UP_HORIZON_DAYS = 14;

export interface CoursePlanInput {
  patientId: string;
  protocol: ProtocolDefinition;
  options: CourseOptions;
  startDate: string;
  preferredTime: string;
  /** The main clinic first, then the alternates. */
  locations: LocationEntity[];
  /** A replan of the course's later sessions (see CoursePlanRequest.tail). */
  tail?: CoursePlanRequest['tail'];
  /** Appointments the plan replaces: the calendars are read as if they were not there. */
  replacing?: ReadonlySet<string>;
}

/**
 * Plans courses against the real calendars: each clinic's booking context is loaded once for the
 * whole span (one query per clinic; only the band of each day the sessions can occupy, with each device's
 * busy time merged), then every candidate start is judged in memory.
 */
@Injectable()
export class CoursePlanningService {
  constructor(
    private readonly booking: BookingService,
    private readonly courses: CoursesRepository,
  ) {}

  async plan(manager: EntityManager | undefined, input: CoursePlanInput): Promise<CoursePlan> {
    const zone = input.locations[0].timezone || CLINIC_ZONE;
    let band = sessionBand(input);
    let days = nominalSpanDays(input.protocol, input.options) + HORIZON_MARGIN_DAYS;
    for (;;) {
      const calendars = await this.loadCalendars(
        manager,
        input.locations,
        input.patientId,
        input.startDate,
        addDays(input.startDate, days),
        input.protocol.treatment,
        input.replacing,
        band,
      );
      const oracle = new CalendarOracle(calendars, input.protocol);
      try {
        return planCourse(
          {
            protocol: input.protocol,
            options: input.options,
            startDate: input.startDate,
            preferredTime: input.preferredTime,
            locations: input.locations.map((l) => ({ id: l.id, name: l.name })),
            zone,
            tail: input.tail,
          },
          oracle,
        );
      } catch (error) {
        if (error instanceof CalendarHorizonExceeded && days < MAX_HORIZON_DAYS) {
          days *= 2;
          continue;
        }
        if (error instanceof CalendarBandExceeded && band) {
          // A session longer than the band allowed for (a protocol's own length): the same span, whole days.
          band = undefined;
          continue;
        }
        throw toRuleViolation(error);
      }
    }
  }

  /** A session after `after` (a TMS make-up), inside the caller's transaction. */
  async planExtra(
    manager: EntityManager,
    input: Omit<CoursePlanInput, 'options' | 'startDate'> &
      Pick<ExtraSessionRequest, 'after' | 'sequence' | 'phase' | 'minGapDays' | 'maxSlipDays' | 'resourceId'>,
  ): Promise<{ session: PlannedSession; warning?: string }> {
    const from = addDays(input.after, 1);
    const calendars = await this.loadCalendars(manager, input.locations, input.patientId, from, addDays(from, MAKE_UP_HORIZON_DAYS), input.protocol.treatment);
    try {
      return planExtraSession(
        {
          protocol: input.protocol,
          preferredTime: input.preferredTime,
          locations: input.locations.map((l) => ({ id: l.id, name: l.name })),
          zone: input.locations[0].timezone || CLINIC_ZONE,
          after: input.after,
          sequence: input.sequence,
          phase: input.phase,
          minGapDays: input.minGapDays,
          maxSlipDays: input.maxSlipDays,
          resourceId: input.resourceId,
        },
        new CalendarOracle(calendars, input.protocol),
      );
    } catch (error) {
      throw toRuleViolation(error);
    }
  }

  private async loadCalendars(
    manager: EntityManager | undefined,
    locations: LocationEntity[],
    patientId: string,
    from: string,
    to: string,
    treatment: Treatment,
    replacing?: ReadonlySet<string>,
    band?: { from: number; to: number },
  ): Promise<PlanningCalendar[]> {
    const zone = locations[0].timezone || CLINIC_ZONE;
    const span = { start: clinicDayBounds(from, zone).start, end: clinicDayBounds(to, zone).end };
    // Only what the rules look at for this treatment: a TMS course reads no shifts, observations or chairs.
    const needs = planningNeedsOf(treatment);
    const timesOfDay = band && { from: formatWallTime(band.from), to: formatWallTime(band.to) };
    // The placement asks only whether a device is free: merged busy time, unless a replan must take its own
    // sessions out of the calendar by id (withoutAppointments).
    const mergeBusy = !replacing?.size;
    const loadContext = (location: LocationEntity) =>
      this.booking.calendar(manager, { locationId: location.id, span, patientId, clinic: location, needs, timesOfDay, mergeBusy });
    const loadClosures = () =>
      this.courses.findClosureReasons(
        locations.map((l) => l.id),
        from,
        to,
        manager,
      );
    let contexts: BookingContext[];
    let closureReasons: Awaited<ReturnType<typeof loadClosures>>;
    if (manager) {
      // One transaction is one connection: its queries go one after another.
      contexts = [];
      for (const location of locations) contexts.push(await loadContext(location));
      closureReasons = await loadClosures();
    } else {
      // A dry run reads from the pool: the clinics' calendars load in parallel.
      [contexts, closureReasons] = await Promise.all([Promise.all(locations.map(loadContext)), loadClosures()]);
    }
    if (replacing?.size) for (const context of contexts) withoutAppointments(context, replacing);
    return locations.map((location, index) => ({
      location: { id: location.id, name: location.name, slotMinutes: location.slotMinutes, occupancyOverrides: location.occupancyOverrides },
      context: contexts[index],
      closureReasons: closureReasons.get(location.id) ?? new Map(),
      from,
      to,
      band,
    }));
  }
}

/**
 * The band of local times of day a course's sessions can occupy: from two hours before the preferred
 * time (the planner looks that far either side, session-placement) to the end of the longest session
 * starting two hours after it. Course planning reads only the calendar inside it (a dense TMS calendar is
 * mostly other hours: BENCHMARKS.md, course dry run). None for accelerated TMS, whose sessions fill the day.
 */
function sessionBand(input: CoursePlanInput): { from: number; to: number } | undefined {
  const { protocol, options, preferredTime, locations } = input;
  if (protocol.phases(options).some((rule) => rule.kind === 'accelerated')) return undefined;
  const longest = Math.max(
    protocol.durationMinutes ?? 0,
    protocol.firstSessionMinutes ?? 0,
    ...locations.flatMap((location) =>
      [true, false].map((firstOfCourse) => defaultMinutesFor(protocol.treatment, { firstOfCourse, overrides: location.occupancyOverrides })),
    ),
  );
  const preferred = wallMinutes(preferredTime);
  return { from: Math.max(0, preferred - SAME_DAY_WINDOW_MINUTES), to: Math.min(24 * 60, preferred + SAME_DAY_WINDOW_MINUTES + longest) };
}

/** The calendar as if these appointments were not booked (the sessions a replan moves). */
function withoutAppointments(context: BookingContext, ids: ReadonlySet<string>): void {
  const keep = <T extends { appointmentId: string }>(list: T[]) => list.filter((item) => !ids.has(item.appointmentId));
  for (const [resourceId, busy] of context.resourceBusy) context.resourceBusy.set(resourceId, keep(busy));
  context.patientBusy = keep(context.patientBusy);
  context.observations = keep(context.observations);
  context.patientTreatments = keep(context.patientTreatments ?? []);
}

function toRuleViolation(error: unknown): unknown {
  if (error instanceof CoursePlanError) {
    return new RuleViolation('course-unplaceable', error.message, undefined, { sequence: error.sequence, phase: error.phase });
  }
  if (error instanceof CalendarHorizonExceeded) {
    return new RuleViolation('course-unplaceable', `The course would run past ${error.date}, further than the planner looks ahead.`);
  }
  return error;
}
