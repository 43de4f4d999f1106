import { Injectable } from '@nestjs/common';
import type { Appointment, Bundle, CapabilityStatement } from '@medplum/fhirtypes';
import { Actor } from '../common/actor';
import { capabilityStatement } from './domain/capability-statement';
import { OperationInput } from './domain/parameters';
import type { RawQuery } from './domain/search-params';
import { FhirDirectoryService } from './fhir-directory.service';
import { FhirSchedulingService } from './fhir-scheduling.service';
import { FhirSlotsService } from './fhir-slots.service';

const FIND_PARAMETERS = ['start', 'end', 'service-type', 'location', 'patient', 'practitioner'];
/** `$book` and `$hold` take the same parameter: an Appointment (`appointment`, or IHE 1.0's `appointment-resource`). */
const BOOK_PARAMETERS = ['appointment', 'appointment-resource'];

/** The FHIR interface's entry point: the CapabilityStatement, operation input, and the two services behind it. */
@Injectable()
export class FhirService {
  constructor(
    readonly directory: FhirDirectoryService,
    readonly scheduling: FhirSchedulingService,
    readonly slots: FhirSlotsService,
  ) {}

  metadata(): CapabilityStatement {
    return capabilityStatement(this.directory.base, '0.1.0');
  }

  find(body: unknown, actor: Actor, path: string): Promise<Bundle<Appointment>> {
    return this.scheduling.find(new OperationInput(body, FIND_PARAMETERS), actor, this.directory.urlOf(path));
  }

  findByQuery(query: RawQuery, actor: Actor, path: string): Promise<Bundle<Appointment>> {
    return this.scheduling.find(OperationInput.fromQuery(query, FIND_PARAMETERS), actor, this.directory.urlOf(path));
  }

  /** A Parameters resource with `appointment`, or (leniently) the Appointment itself as the body. */
  book(body: unknown, actor: Actor): Promise<{ appointment: Appointment; created: boolean }> {
    return this.scheduling.book(this.appointmentInput(body), actor);
  }

  /** The same input as `$book`. */
  hold(body: unknown, actor: Actor): Promise<Appointment> {
    return this.scheduling.hold(this.appointmentInput(body), actor);
  }

  private appointmentInput(body: unknown): OperationInput | { appointment: unknown } {
    const bare = (body as { resourceType?: unknown } | null)?.resourceType === 'Appointment';
    return bare ? { appointment: body } : new OperationInput(body, BOOK_PARAMETERS);
  }
}
