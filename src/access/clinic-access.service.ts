import { Injectable } from '@nestjs/common';
import { actsOnAllClinics, Actor } from '../common/actor';
import { DomainError, InvalidInput, NotFound } from '../common/problems';
import type { AccessKind, AccessSource } from './access.decorators';
import { AccessRepository, ScopedRow } from './access.repository';
import type { NamedPatients } from './request-targets';

/** 403 for another clinic's thing (of a patient the actor may see). */
export class OtherClinic extends DomainError {
  constructor(what: string) {
    super(403, 'Forbidden', `${what} belongs to a clinic you do not work at.`, { type: '/problems/other-clinic' });
  }
}

const LABEL: Record<AccessKind, string> = {
  location: 'Location',
  patient: 'Patient',
  appointment: 'Appointment',
  course: 'Course',
  worklistItem: 'Worklist item',
  resource: 'Resource',
  waitlistEntry: 'Waitlist entry',
};

/** Ids of one kind, and where the request carried them (decides between 404 and a 400 naming the field). */
export interface AccessTarget {
  kind: AccessKind;
  source: AccessSource;
  ids: string[];
}

/**
 * `requireAccess` (after immich's utils/access.ts): whether an actor may act on these things, answered as
 * api.md says. ClinicScopeGuard calls it for every route's @Access declaration; a service whose ids come
 * in a shape the guard cannot read (a FHIR Parameters resource) calls it itself before acting.
 */
@Injectable()
export class ClinicAccess {
  constructor(private readonly access: AccessRepository) {}

  /** `known`: the patients' visibility as read with the actor's session (asked again for any id it was not read for). */
  async require(actor: Pick<Actor, 'role' | 'locationIds'>, targets: AccessTarget[], known?: NamedPatients): Promise<void> {
    if (actsOnAllClinics(actor)) return;
    const clinics = actor.locationIds;
    const refusals: DomainError[] = [];
    const of = (kind: AccessKind) => targets.filter((target) => target.kind === kind && target.ids.length > 0);

    // A patient the actor may not see is answered exactly as one that does not exist: 404 in a path or a
    // query, and in a body the 400 naming the field that an unknown id gets.
    const patients = of('patient');
    if (patients.length) {
      const ids = [...new Set(patients.flatMap((t) => t.ids))];
      const visible = known && ids.every((id) => known.asked.has(id)) ? known.visible : await this.access.visiblePatients(ids, clinics);
      for (const target of patients) {
        const hidden = target.ids.find((id) => !visible.has(id));
        if (hidden) throw this.unknown('patient', target.source, hidden);
      }
    }
    const lookups: Array<[AccessKind, (ids: string[]) => Promise<ScopedRow[]>]> = [
      ['appointment', (ids) => this.access.appointments(ids, clinics)],
      ['course', (ids) => this.access.courses(ids, clinics)],
      ['worklistItem', (ids) => this.access.worklistItems(ids)],
      ['resource', (ids) => this.access.resources(ids)],
      ['waitlistEntry', (ids) => this.access.waitlistEntries(ids, clinics)],
    ];
    for (const [kind, lookup] of lookups) {
      for (const target of of(kind)) {
        const rows = new Map((await lookup(target.ids)).map((row) => [row.id, row]));
        for (const id of target.ids) {
          const row = rows.get(id);
          // Unknown ids are the service's to refuse; a hidden patient's thing is refused as if unknown.
          if (row && !row.patientVisible) throw this.unknown(kind, target.source, id);
          if (row && !clinics.includes(row.locationId)) refusals.push(new OtherClinic(`${LABEL[kind]} ${id}`));
        }
      }
    }
    // Another clinic is a 403; an id that is no clinic at all is left for the service to refuse as it always has.
    const locations = [...new Set(of('location').flatMap((t) => t.ids))].filter((id) => !clinics.includes(id));
    if (locations.length) {
      const existing = await this.access.existingLocations(locations);
      for (const id of locations) if (existing.has(id)) refusals.push(new OtherClinic(`Location ${id}`));
    }
    if (refusals.length) throw refusals[0];
  }

  private unknown(kind: AccessKind, source: AccessSource, id: string): DomainError {
    const what = LABEL[kind].toLowerCase();
    return source.in === 'body' ? InvalidInput.field(source.name, `${source.name} refers to a ${what} that does not exist`) : new NotFound(LABEL[kind], id);
  }
}
