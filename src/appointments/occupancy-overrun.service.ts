import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { CLINIC_ZONE, localParts } from '../common/clinic-time';
import { WorklistService } from '../worklist/worklist.service';
import { AppointmentEvents } from './appointment-events';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { inPreferenceOrder } from './domain/slot-rules';
import { HoldsRepository } from './holds.repository';

/** What extending an appointment's occupancy did to the bookings after it. */
export interface OccupancyExtension {
  /** The appointment now holds the patient until then (null: nothing changed). */
  extendedTo: Date | null;
  /** Bookings of the same resource moved to another one of its kind, same time. */
  moved: Array<{ appointmentId: string; fromResourceId: string; toResourceId: string; toResourceName: string }>;
  /** Bookings that could not be moved: each is on the front desk's worklist as a chair conflict. */
  conflicts: Array<{ appointmentId: string; startsAt: Date }>;
}

const KIND_NAMES: Record<string, string> = { treatment_chair: 'chair', recovery_bay: 'recovery bay', tms_device: 'TMS device', ect_suite: 'ECT suite' };

/**
 * A patient holds the resource longer than booked (a dose given late): the chair's occupancy follows what
 * really happens. A later booking of that resource it runs into moves to another free resource of the same
 * kind at the same time, which changes nothing for its patient (no new texts), or, when none is free, goes
 * to the front desk's worklist as a chair conflict. Runs in the caller's transaction.
 */
@Injectable()
export class OccupancyOverrun {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly holds: HoldsRepository,
    private readonly lookup: AppointmentLookup,
    private readonly events: AppointmentEvents,
    private readonly worklist: WorklistService,
    private readonly audit: AuditTrail,
  ) {}

  async extend(manager: EntityManager, appointment: AppointmentEntity, until: Date, actor: Actor): Promise<OccupancyExtension> {
    const result: OccupancyExtension = { extendedTo: null, moved: [], conflicts: [] };
    if (until <= appointment.occupancyEndsAt) return result;
    const last = await this.appointments.findLastSegment(manager, appointment.id);
    // The patient is never held past the start of their own next appointment (that is a conflict for a person, not a chair).
    const patientNext = await this.appointments.findPatientNextStart(manager, appointment.patientId, appointment.id, appointment.occupancyEndsAt, until);
    const patientUntil = patientNext && patientNext < until ? patientNext : until;
    let segmentUntil = patientUntil;
    const released: string[] = [];
    if (last && last.endsAt < patientUntil) {
      // A slot held for a waitlist offer or an integration is no longer free: the hold goes (its offer then
      // finds the slot taken), before the bookings in the way are moved.
      released.push(...(await this.holds.deleteInTheWay(manager, last.resourceId, { start: last.endsAt, end: patientUntil })));
      const found = await this.appointments.findResourceAndSiblings(manager, last.resourceId);
      const hits = await this.appointments.findSegmentsOnResource(manager, last.resourceId, { start: last.endsAt, end: patientUntil }, appointment.id);
      for (const hit of hits) {
        let movedTo: { id: string; name: string } | undefined;
        if (hit.status === 'scheduled' && found) {
          for (const candidate of inPreferenceOrder(found.siblings, hit.patientId)) {
            if (await this.appointments.moveSegment(manager, hit.segmentId, candidate.id, hit.first)) {
              movedTo = candidate;
              break;
            }
          }
        }
        if (movedTo) {
          result.moved.push({ appointmentId: hit.appointmentId, fromResourceId: last.resourceId, toResourceId: movedTo.id, toResourceName: movedTo.name });
          const moved = await this.lookup.findOrFail(hit.appointmentId, manager);
          await this.events.publish(manager, { change: 'reassigned', appointment: moved, actor });
          await this.audit.record(manager, actor, 'appointment.reassign', 'appointment', hit.appointmentId, {
            patientId: hit.patientId,
            from: last.resourceId,
            to: movedTo.id,
            reason: 'the previous patient holds the resource longer than booked',
            overrunBy: appointment.id,
          });
          continue;
        }
        // Nothing free: the chair stays double-booked in reality. The calendar keeps the next booking, and
        // this appointment holds the chair only up to its start; the front desk must act.
        segmentUntil = hit.startsAt < segmentUntil ? hit.startsAt : segmentUntil;
        result.conflicts.push({ appointmentId: hit.appointmentId, startsAt: hit.startsAt });
        const kind = KIND_NAMES[found?.resource.kind ?? ''] ?? 'resource';
        const time = (date: Date) => localParts(date, CLINIC_ZONE).time;
        await this.worklist.add(manager, {
          kind: 'chair-conflict',
          locationId: appointment.locationId,
          appointmentId: hit.appointmentId,
          patientId: hit.patientId,
          detail:
            `${found?.resource.name ?? 'The resource'} is expected to be held until ${time(patientUntil)} by the patient before (a dose given late); ` +
            `no other ${kind} is free for the ${time(hit.startsAt)} appointment. Delay it, move it or call the patient.`,
          dedupeKey: `chair-conflict:${hit.appointmentId}`,
        });
      }
    }
    if (last) await this.appointments.extendOccupancy(manager, appointment.id, last.id, patientUntil, segmentUntil);
    await this.audit.record(manager, actor, 'appointment.occupancy-extend', 'appointment', appointment.id, {
      patientId: appointment.patientId,
      from: appointment.occupancyEndsAt.toISOString(),
      to: patientUntil.toISOString(),
      moved: result.moved.map((m) => m.appointmentId),
      conflicts: result.conflicts.map((c) => c.appointmentId),
      ...(released.length ? { releasedHolds: released } : {}),
    });
    result.extendedTo = patientUntil;
    return result;
  }
}
