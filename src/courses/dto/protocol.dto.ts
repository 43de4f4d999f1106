import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TREATMENTS, Treatment } from '../../appointments/domain/vocabulary';
import { PhaseRule, PROTOCOL_CODES, ProtocolCode, ProtocolDefinition } from '../domain/protocols';

export class RangeResponse {
  @ApiProperty() min: number;
  @ApiProperty() max: number;
}

export class PhaseResponse {
  @ApiProperty({ example: 'induction', description: "The phase's name, as a session's `phase` says it" }) phase: string;
  @ApiProperty({ enum: ['spaced', 'weekly', 'accelerated'] }) kind: PhaseRule['kind'];
  @ApiProperty({ example: 30 }) sessions: number;
  @ApiPropertyOptional({ type: [Number], example: [3, 2, 1], description: 'weekly: sessions in each course week' }) perWeek?: number[];
  @ApiPropertyOptional({ example: 1, description: 'Days at least between two sessions' }) minGapDays?: number;
  @ApiPropertyOptional({ type: [Number], example: [1, 3, 5], description: 'spaced: preferred ISO weekdays (1 = Monday)' }) preferredWeekdays?: number[];
  @ApiPropertyOptional({ example: 21, description: 'spaced: every session within this many days of the first' }) withinDays?: number;
  @ApiPropertyOptional({ example: 10, description: 'accelerated: sessions a day' }) perDay?: number;
  @ApiPropertyOptional({ example: 60, description: 'accelerated: minutes at least from one start to the next' }) minStartGapMinutes?: number;
}

export class ProtocolResponse {
  @ApiProperty({ enum: PROTOCOL_CODES }) code: ProtocolCode;
  @ApiProperty({ enum: TREATMENTS }) treatment: Treatment;
  @ApiProperty({ example: 'Standard rTMS (10 Hz)' }) name: string;
  @ApiProperty({ example: 36 }) totalSessions: number;
  @ApiProperty({ example: 19, description: 'The clinical session itself' }) sessionMinutes: number;
  @ApiProperty({ example: 30, description: 'What each session books its resource for (a clinic may configure its own default)' }) occupancyMinutes: number;
  @ApiPropertyOptional({ example: 75, description: 'TMS: the first session, with motor threshold and coil mapping' }) firstSessionMinutes?: number;
  @ApiProperty({ example: '5 a week (Mon–Fri) for 6 weeks, then 3, 2 and 1 a week over weeks 7–9 (36)' }) cadence: string;
  @ApiProperty({ type: [PhaseResponse] }) phases: PhaseResponse[];
  @ApiPropertyOptional({ type: RangeResponse, description: 'Accepted totalSessions (ECT)' }) totalSessionsRange?: RangeResponse;
  @ApiPropertyOptional({ type: RangeResponse, description: 'Accepted maintenanceWeeks (Spravato TRD)' }) maintenanceWeeksRange?: RangeResponse;
  @ApiPropertyOptional({ example: 56, description: 'Spravato: the first dose' }) firstDoseMg?: number;
  @ApiPropertyOptional({ example: 84, description: 'Spravato: the dose of every session' }) doseMg?: number;
  @ApiPropertyOptional({ description: 'Every session on the same device' }) oneDevice?: boolean;
}

function toPhaseResponse(rule: PhaseRule): PhaseResponse {
  if (rule.kind === 'spaced') {
    const { kind, phase, sessions, minGapDays, preferredWeekdays, withinDays } = rule;
    return { kind, phase, sessions, minGapDays, preferredWeekdays: [...preferredWeekdays], ...(withinDays ? { withinDays } : {}) };
  }
  if (rule.kind === 'weekly') {
    return { kind: rule.kind, phase: rule.phase, sessions: rule.perWeek.reduce((a, b) => a + b, 0), perWeek: [...rule.perWeek], minGapDays: rule.minGapDays };
  }
  return { kind: rule.kind, phase: 'accelerated-day-N', sessions: rule.days * rule.perDay, perDay: rule.perDay, minStartGapMinutes: rule.minStartGapMinutes };
}

export function toProtocolResponse(protocol: ProtocolDefinition): ProtocolResponse {
  return {
    code: protocol.code,
    treatment: protocol.treatment,
    name: protocol.name,
    totalSessions: protocol.totalSessions,
    sessionMinutes: protocol.sessionMinutes,
    occupancyMinutes: protocol.occupancyMinutes,
    ...(protocol.firstSessionMinutes ? { firstSessionMinutes: protocol.firstSessionMinutes } : {}),
    cadence: protocol.cadence,
    phases: protocol.phases({}).map(toPhaseResponse),
    ...(protocol.totalSessionsRange ? { totalSessionsRange: { ...protocol.totalSessionsRange } } : {}),
    ...(protocol.maintenanceWeeksRange ? { maintenanceWeeksRange: { ...protocol.maintenanceWeeksRange } } : {}),
    ...(protocol.firstDoseMg ? { firstDoseMg: protocol.firstDoseMg } : {}),
    ...(protocol.doseMg ? { doseMg: protocol.doseMg } : {}),
    ...(protocol.oneDevice ? { oneDevice: true } : {}),
  };
}
