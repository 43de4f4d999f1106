import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { CLINIC_ZONE, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { NotFound } from '../common/problems';
import { expectedFreeAt, nextVitalsDueAt, overrunsNextBooking } from './domain/monitoring';
import { effectiveReadings } from './domain/vitals';
import { ObservationEntryResponse } from './dto/session.dto';
import { ObservationRepository } from './observation.repository';
import { SessionsRepository } from './sessions.repository';

const iso = (date: Date) => toClinicIso(date, CLINIC_ZONE);

/** The clinic's observation board: who is being watched, when vitals are due, whose stay hits the next booking. */
@Injectable()
export class ObservationService {
  constructor(
    private readonly observation: ObservationRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async board(locationId: string, actor: Actor): Promise<ObservationEntryResponse[]> {
    if (!(await this.sessions.locationExists(locationId))) throw new NotFound('Location', locationId);
    const now = this.clock.now();
    const rows = await this.observation.findMonitored(locationId);
    await this.audit.record(undefined, actor, 'observation-board.read', 'location', locationId, { appointmentIds: rows.map((r) => r.appointmentId) });
    return rows.map((row) => {
      const effective = effectiveReadings(row.vitals);
      const due = nextVitalsDueAt({ ...row, effective });
      const free = expectedFreeAt(row, now, row.dischargeMarginMinutes);
      return {
        appointmentId: row.appointmentId,
        patientId: row.patientId,
        resourceId: row.resourceId,
        type: row.type,
        status: row.status,
        earliestDischargeAt: row.earliestDischargeAt ? iso(row.earliestDischargeAt) : null,
        nextVitalsDueAt: due ? iso(due) : null,
        expectedFreeAt: iso(free),
        overrunsNextBooking: overrunsNextBooking(free, row.nextBooking?.startsAt ?? null),
        nextBookingAppointmentId: row.nextBooking?.appointmentId ?? null,
        nextBookingStartsAt: row.nextBooking ? iso(row.nextBooking.startsAt) : null,
      };
    });
  }
}
