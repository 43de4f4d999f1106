import { toFhirAppointment, toHeldAppointment, toProposedAppointment, typesServedBy } from './resources';
import { parseSlotId, slotIdOf } from './slot-id';
import { operationOutcomeOf } from './operation-outcome';
import { appointmentRequestOf } from './parameters';
import { InvalidInput } from '../../common/problems';

const ids = {
  patient: '11111111-1111-4111-8111-111111111111',
  clinic: '22222222-2222-4222-8222-222222222222',
  chair: '33333333-3333-4333-8333-333333333333',
  hold: '55555555-5555-4555-8555-555555555555',
};

describe('FHIR mapping', () => {
  it.each([
    ['scheduled', 'booked'],
    ['checked_in', 'checked-in'],
    ['in_treatment', 'checked-in'],
    ['observing', 'checked-in'],
    ['discharged', 'fulfilled'],
    ['no_show', 'noshow'],
    ['cancelled', 'cancelled'],
  ] as const)('maps our %s to FHIR %s and keeps ours in an extension', (ours, theirs) => {
    const sut = toFhirAppointment({
      id: '44444444-4444-4444-8444-444444444444',
      patientId: ids.patient,
      type: 'spravato',
      status: ours,
      locationId: ids.clinic,
      providerId: null,
      startsAt: '2026-11-02T09:00:00-07:00',
      endsAt: '2026-11-02T11:30:00-07:00',
      segments: [{ resourceId: ids.chair }],
    });
    expect(sut.status).toBe(theirs);
    expect(sut.extension).toEqual([{ url: 'urn:clinic-scheduler:fhir:appointment-status', valueCode: ours }]);
    expect(sut.minutesDuration).toBe(150);
    expect(sut.participant.map((p) => p.actor?.reference)).toEqual([`Patient/${ids.patient}`, `Location/${ids.clinic}`, `Location/${ids.chair}`]);
  });

  it('knows which resource a type holds first: chairs serve Spravato and ketamine, a recovery bay nothing on its own', () => {
    expect(typesServedBy('treatment_chair')).toEqual(['spravato', 'ketamine']);
    expect(typesServedBy('tms_device')).toEqual(['tms']);
    expect(typesServedBy('ect_suite')).toEqual(['ect']);
    expect(typesServedBy('recovery_bay')).toEqual([]);
  });

  it('names computed slots so that they can be computed again, in at most 64 characters', () => {
    const start = new Date('2026-11-01T08:30:00-07:00');
    const free = slotIdOf({ scheduleId: ids.chair, status: 'free', type: 'follow_up', start });
    expect(free).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
    expect(parseSlotId(free)).toEqual({ scheduleId: ids.chair, status: 'free', type: 'follow_up', start });
    expect(parseSlotId(slotIdOf({ scheduleId: ids.chair, status: 'busy', start }))).toEqual({ scheduleId: ids.chair, status: 'busy', start });
    expect(parseSlotId(`${ids.chair}.massage.1793543400`)).toBeUndefined();
    expect(parseSlotId('x')).toBeUndefined();
  });

  it('answers a rule refusal as an OperationOutcome naming the rule, and a field error naming the field', () => {
    expect(operationOutcomeOf({ status: 409, detail: 'The resource is booked then.', rule: 'resource-overlap' })).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'conflict',
          details: { coding: [{ system: 'urn:clinic-scheduler:rule', code: 'resource-overlap' }], text: 'Refused by the rule resource-overlap' },
          diagnostics: 'The resource is booked then.',
        },
      ],
    });
    expect(operationOutcomeOf({ status: 409, detail: 'Closed.', rule: 'clinic-closed' }).issue[0].code).toBe('business-rule');
    expect(operationOutcomeOf({ status: 400, detail: 'x', errors: [{ field: 'start', message: 'start is required' }] }).issue).toEqual([
      { severity: 'error', code: 'invalid', diagnostics: 'start is required', expression: ['start'] },
    ]);
  });

  it('reads back an appointment $find proposed, and refuses one that is not proposed or names no patient', () => {
    const proposed = toProposedAppointment({
      type: 'tms',
      start: '2026-11-02T09:00:00-07:00',
      end: '2026-11-02T09:30:00-07:00',
      locationId: ids.clinic,
      resourceId: ids.chair,
      providerId: null,
      patientId: ids.patient,
    });
    expect(appointmentRequestOf(proposed, 'appointment')).toEqual({
      status: 'proposed',
      type: 'tms',
      start: new Date('2026-11-02T16:00:00Z'),
      patientId: ids.patient,
      locationIds: [ids.clinic, ids.chair],
    });
    const fieldOf = (value: unknown) => {
      try {
        appointmentRequestOf(value, 'appointment');
      } catch (error) {
        return ((error as InvalidInput).extensions.errors as Array<{ field: string }>)[0].field;
      }
      return undefined;
    };
    expect(fieldOf({ ...proposed, status: 'booked' })).toBe('appointment.status');
    expect(fieldOf({ ...proposed, participant: proposed.participant.slice(1) })).toBe('appointment.participant');
    expect(fieldOf({ ...proposed, start: '2026-11-02T09:00:00' })).toBe('appointment.start');
    expect(fieldOf({ resourceType: 'Patient' })).toBe('appointment');
    expect(fieldOf({ ...proposed, status: 'cancelled', id: ids.hold })).toBe('appointment.status');
  });

  it('reads the hold a pending Appointment names by its id, and a cancelled one only with it; a proposal has none', () => {
    const held = toHeldAppointment({
      id: ids.hold,
      status: 'pending',
      type: 'spravato',
      start: '2026-11-02T09:00:00-07:00',
      end: '2026-11-02T11:30:00-07:00',
      expiresAt: '2026-11-01T08:10:00-07:00',
      patientId: ids.patient,
      locationId: ids.clinic,
      resourceIds: [ids.chair],
      providerId: null,
    });
    expect(held).toMatchObject({
      id: ids.hold,
      status: 'pending',
      minutesDuration: 150,
      extension: [{ url: 'urn:clinic-scheduler:fhir:hold-expires', valueInstant: '2026-11-01T08:10:00-07:00' }],
    });
    expect(held.participant.map((p) => [p.actor?.reference, p.status])).toEqual([
      [`Patient/${ids.patient}`, 'tentative'],
      [`Location/${ids.clinic}`, 'accepted'],
      [`Location/${ids.chair}`, 'accepted'],
    ]);
    expect(appointmentRequestOf(held, 'appointment')).toMatchObject({ status: 'pending', id: ids.hold, type: 'spravato', patientId: ids.patient });
    const all = ['proposed', 'pending', 'cancelled'] as const;
    expect(appointmentRequestOf({ ...held, status: 'cancelled' }, 'appointment', all)).toMatchObject({ status: 'cancelled', id: ids.hold });
    expect(appointmentRequestOf({ ...held, status: 'proposed' }, 'appointment').id).toBeUndefined();
    expect(() => appointmentRequestOf({ ...held, status: 'cancelled', id: undefined }, 'appointment', all)).toThrow(InvalidInput);
    expect(() => appointmentRequestOf({ ...held, id: 'hold-1' }, 'appointment')).toThrow(InvalidInput);
  });

  it('says in a refusal why the time is taken, once per reason, never whose it is', () => {
    const outcome = operationOutcomeOf({
      status: 409,
      detail: 'The resource is occupied for part of that time.',
      rule: 'resource-overlap',
      conflicts: [{ reason: 'the resource is on hold then' }, { reason: 'the resource is on hold then' }],
    });
    expect(outcome.issue[0].diagnostics).toBe('The resource is occupied for part of that time. (the resource is on hold then)');
  });
});
