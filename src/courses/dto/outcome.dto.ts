import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { IsCalendarDate } from '../../common/validation';
import type { CourseOutcomeEntity } from '../course-outcome.entity';
import { OUTCOME_SCALES, OutcomeScale, ScaleSummary } from '../domain/outcomes';

export class RecordOutcomeDto {
  @ApiProperty({ enum: OUTCOME_SCALES, description: 'phq9 (0–27), madrs (0–60), hamd17 (0–52)' })
  @IsIn(OUTCOME_SCALES)
  scale: OutcomeScale;

  @ApiProperty({ example: 14 })
  @IsInt()
  score: number;

  @ApiProperty({ example: '2027-08-02', description: "Clinic-local date; not in the future, at most 30 days before the course's first session" })
  @IsCalendarDate()
  takenOn: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The session it was taken at (a session of this course)' })
  @IsOptional()
  @IsUUID()
  appointmentId?: string;
}

export class OutcomeEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ enum: OUTCOME_SCALES }) scale: OutcomeScale;
  @ApiProperty() score: number;
  @ApiProperty({ example: '2027-08-02' }) takenOn: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) appointmentId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty() recordedAt: string;
}

export class ScaleSummaryResponse {
  @ApiProperty({ description: "The course's first score of the scale" }) baseline: number;
  @ApiProperty() latest: number;
  @ApiProperty({ nullable: true, type: Number, example: -80, description: 'Signed change from the baseline, in %; null from a baseline of 0' })
  changePercent: number | null;
  @ApiProperty({ description: 'Latest at least 50 % below the baseline' }) response: boolean;
  @ApiProperty({ description: 'PHQ-9 < 5, MADRS ≤ 12, HAM-D17 ≤ 7' }) remission: boolean;
}

/** Per scale recorded (phq9, madrs, hamd17): absent when the scale was never recorded. */
export class OutcomesByScale {
  @ApiPropertyOptional({ type: ScaleSummaryResponse }) phq9?: ScaleSummaryResponse;
  @ApiPropertyOptional({ type: ScaleSummaryResponse }) madrs?: ScaleSummaryResponse;
  @ApiPropertyOptional({ type: ScaleSummaryResponse }) hamd17?: ScaleSummaryResponse;
}

export class CourseOutcomesResponse {
  @ApiProperty({ type: [OutcomeEntryResponse], description: 'In the order taken' }) entries: OutcomeEntryResponse[];
  @ApiProperty({ type: OutcomesByScale }) byScale: Partial<Record<OutcomeScale, ScaleSummary>>;
}

export function toOutcomeEntryResponse(entry: CourseOutcomeEntity): OutcomeEntryResponse {
  return {
    id: entry.id,
    courseId: entry.courseId,
    scale: entry.scale,
    score: entry.score,
    takenOn: entry.takenOn,
    appointmentId: entry.appointmentId,
    recordedBy: entry.recordedBy,
    recordedAt: toClinicIso(entry.recordedAt),
  };
}
