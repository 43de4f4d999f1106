import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { PageQueryDto } from '../../common/paging';
import { IsCalendarDate, IsOffsetDateTime, IsWallTime } from '../../common/validation';
import { OFFER_STATUSES, OfferStatusWord, WAITLIST_TYPES, WaitlistType } from '../domain/offer-status';
import type { OfferSummary } from '../domain/offer-summary';
import { WaitlistEntryEntity } from '../waitlist-entry.entity';
import { WaitlistOfferEntity } from '../waitlist-offer.entity';

export class TimeWindowDto {
  @ApiPropertyOptional({ type: [Number], example: [1, 3, 5], description: 'ISO weekdays (1 = Monday); all days when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays?: number[];

  @ApiProperty({ example: '08:00', description: 'Clinic-local; a slot fits when its start is in [start, end)' })
  @IsWallTime()
  start: string;

  @ApiProperty({ example: '12:00' })
  @IsWallTime()
  end: string;
}

export class CreateWaitlistEntryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  patientId: string;

  @ApiProperty({ enum: WAITLIST_TYPES, description: 'A treatment: its slots are a chair, device or suite' })
  @IsIn(WAITLIST_TYPES, { message: `type must be one of ${WAITLIST_TYPES.join(', ')}` })
  type: WaitlistType;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The clinics the patient can come to' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  locationIds: string[];

  @ApiProperty({ example: '2026-11-02', description: 'Clinic-local date, inclusive' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-11-20', description: 'Clinic-local date, inclusive' })
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ type: [TimeWindowDto], description: 'Times of day that suit; any time the clinic is open when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(14)
  @ValidateNested({ each: true })
  @Type(() => TimeWindowDto)
  windows?: TimeWindowDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: 9, default: 0, description: 'Higher first; then the oldest entry' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(9)
  priority?: number;
}

export class WaitlistQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiPropertyOptional({ enum: WAITLIST_TYPES })
  @IsOptional()
  @IsIn(WAITLIST_TYPES)
  type?: WaitlistType;

  @ApiPropertyOptional({ format: 'uuid', description: 'The x-next-cursor of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}

export class WaitlistEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: WAITLIST_TYPES }) type: WaitlistType;
  @ApiProperty({ type: [String] }) locationIds: string[];
  @ApiProperty({ example: '2026-11-02' }) from: string;
  @ApiProperty({ example: '2026-11-20' }) to: string;
  @ApiProperty({ type: [TimeWindowDto] }) windows: TimeWindowDto[];
  @ApiProperty() priority: number;
  @ApiProperty({ enum: ['active', 'booked', 'removed'] }) status: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The appointment an accepted offer booked' }) appointmentId?: string;
  @ApiProperty() createdAt: string;
}

export function toWaitlistEntryResponse(entry: WaitlistEntryEntity): WaitlistEntryResponse {
  return {
    id: entry.id,
    patientId: entry.patientId,
    type: entry.type,
    locationIds: entry.locationIds,
    from: entry.fromDate,
    to: entry.toDate,
    windows: entry.windows,
    priority: entry.priority,
    status: entry.status,
    ...(entry.appointmentId ? { appointmentId: entry.appointmentId } : {}),
    createdAt: toClinicIso(entry.createdAt),
  };
}

export class OffersQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2026-11-01T00:00:00-06:00', description: 'Offers made from then (offset required)' })
  @IsOffsetDateTime()
  from: string;

  @ApiProperty({ example: '2026-12-01T00:00:00-07:00', description: '… until before then' })
  @IsOffsetDateTime()
  to: string;
}

export class OfferResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ enum: WAITLIST_TYPES }) type: string;
  @ApiProperty({ format: 'uuid' }) resourceId: string;
  @ApiProperty() startsAt: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status: OfferStatusWord;
  @ApiProperty({ description: 'When the slot was freed' }) freedAt: string;
  @ApiProperty() offeredAt: string;
  @ApiProperty() expiresAt: string;
  @ApiPropertyOptional() respondedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) appointmentId?: string;
  @ApiPropertyOptional() closedReason?: string;
}

export function toOfferResponse(offer: WaitlistOfferEntity): OfferResponse {
  return {
    id: offer.id,
    entryId: offer.entryId,
    patientId: offer.patientId,
    locationId: offer.locationId,
    type: offer.type,
    resourceId: offer.resourceId,
    startsAt: toClinicIso(offer.startsAt),
    status: offer.status,
    freedAt: toClinicIso(offer.freedAt),
    offeredAt: toClinicIso(offer.offeredAt),
    expiresAt: toClinicIso(offer.expiresAt),
    ...(offer.respondedAt ? { respondedAt: toClinicIso(offer.respondedAt) } : {}),
    ...(offer.appointmentId ? { appointmentId: offer.appointmentId } : {}),
    ...(offer.closedReason ? { closedReason: offer.closedReason } : {}),
  };
}

export class OfferSummaryResponse implements OfferSummary {
  @ApiProperty() offered: number;
  @ApiProperty() accepted: number;
  @ApiProperty() declined: number;
  @ApiProperty() expired: number;
  @ApiProperty({ description: 'Of the freed slots offered, the share an offer filled (0–1)' }) fillRate: number;
  @ApiProperty({ nullable: true, type: Number, description: 'From the slot being freed to the YES that filled it' }) medianMinutesToFill: number | null;
}

export class OffersReportResponse {
  @ApiProperty({ type: [OfferResponse] }) offers: OfferResponse[];
  @ApiProperty({ type: OfferSummaryResponse }) summary: OfferSummaryResponse;
}
