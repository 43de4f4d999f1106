import type { TestingModule } from '@nestjs/testing';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarRepository } from '../src/appointments/calendar.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, planningNeedsOf } from '../src/appointments/domain/appointment-types';
import { addDays } from '../src/common/clinic-time';
import { clinicInstant } from '../src/common/clinic-time';

/** EXPLAIN (ANALYZE, BUFFERS) of the reads availability and booking make, as text. */
export type ReadPlans = Record<'availabilityWeek' | 'bookingRead', string>;

/** The calendar read's row when nothing is loaded: what the repository maps, so that it can run on a capture. */
const EMPTY_ROW = {
  hours: [],
  closures: [],
  resources: [],
  segments: [],
  patient: [],
  treatments: [],
  authorizations: [],
  observations: [],
  shifts: [],
  providers: [],
};

/**
 * A manager that runs nothing: it keeps the statement the repository would prepare (preparedQuery runs on a
 * transaction's connection when one is active) and answers with an empty calendar.
 */
function capturingManager(captured: Array<{ text: string; values: unknown[] }>): EntityManager {
  const client = {
    query: async (query: { text: string; values: unknown[] }) => {
      captured.push({ text: query.text, values: query.values });
      return { rows: [EMPTY_ROW] };
    },
  };
  return { queryRunner: { isTransactionActive: true, connect: async () => client } } as unknown as EntityManager;
}

/**
 * Runs the calendar read of a Spravato clinic-week (availability) and of a TMS booking (the read a booking
 * makes, with the parties it names) through EXPLAIN (ANALYZE, BUFFERS), prepared with a generic plan as the
 * service runs them (plan_cache_mode=force_generic_plan, one plan per connection).
 */
export async function explainReads(
  ds: DataSource,
  context: TestingModule,
  at: { locationId: string; day: string; patientId: string; tmsStart: Date },
): Promise<ReadPlans> {
  const calendars = context.get(CalendarRepository, { strict: false });
  const captured: Array<{ text: string; values: unknown[] }> = [];
  const manager = capturingManager(captured);
  const now = new Date();
  const week = { start: clinicInstant(at.day, '00:00')!, end: new Date(clinicInstant(addDays(at.day, 7), '00:00')!.getTime() + 150 * 60_000) };
  await calendars.loadCalendar(manager, { locationId: at.locationId, span: week, needs: planningNeedsOf('spravato'), now });
  const tmsEnd = new Date(at.tmsStart.getTime() + APPOINTMENT_TYPE_DEFINITIONS.tms.maximumMinutes * 60_000);
  await calendars.loadCalendarAndParties(
    manager,
    { locationId: at.locationId, span: { start: at.tmsStart, end: tmsEnd }, patientId: at.patientId, treatment: 'tms', needs: planningNeedsOf('tms'), now },
    { patientId: at.patientId },
  );

  const plans: string[] = [];
  await ds.transaction(async (tx) => {
    await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
    for (const [index, { text, values }] of captured.entries()) {
      await tx.query(`PREPARE bench_read_${index} AS ${text}`);
      const literals = values.map((value) => literal(value)).join(', ');
      const rows: Array<{ 'QUERY PLAN': string }> = await tx.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_read_${index}(${literals})`);
      plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
      await tx.query(`DEALLOCATE bench_read_${index}`);
    }
  });
  return { availabilityWeek: plans[0], bookingRead: plans[1] };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `'{${value.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`).join(',')}}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}
