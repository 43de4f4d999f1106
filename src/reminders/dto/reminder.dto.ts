import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { PageQueryDto } from '../../common/paging';
import { E164 } from '../../patients/dto/patient.dto';
import { REMINDER_STATUSES, ReminderEntity, ReminderStatus } from '../reminder.entity';
import { SMS_PURPOSES, SmsMessageEntity, SmsPurpose } from '../sms-message.entity';

export class ReminderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2027-08-02T10:00:00-06:00' }) sendAt: string;
  @ApiProperty({ enum: REMINDER_STATUSES }) status: ReminderStatus;
  @ApiProperty({ description: 'The text as it goes out' }) body: string;
  @ApiProperty({ example: '48h', description: 'confirmation, rescheduled, evening_before or <hours>h before the start' }) kind: string;
  @ApiProperty({ description: 'Tries so far' }) attempts: number;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'delivered', description: "The provider's last delivery report" }) deliveryStatus: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last try failed, or why the text was cancelled' }) error: string | null;
}

export function toReminderResponse(reminder: ReminderEntity): ReminderResponse {
  return {
    id: reminder.id,
    sendAt: toClinicIso(reminder.sendAt),
    status: reminder.status,
    body: reminder.body,
    kind: reminder.kind,
    attempts: reminder.attempts,
    sentAt: reminder.sentAt ? toClinicIso(reminder.sentAt) : null,
    deliveryStatus: reminder.deliveryStatus,
    error: reminder.lastError,
  };
}

export class OutboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '+13035550100', description: 'E.164 (a leading + sent unencoded arrives as a space and is read as +)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/^ (?=\d)/, '+') : value))
  @Matches(E164, { message: 'to must be an E.164 number, e.g. +13035550100' })
  to?: string;

  @ApiPropertyOptional({ description: 'The x-next-cursor of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}

export class OutboxMessageResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '+13035550100' }) to: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: SMS_PURPOSES }) purpose: SmsPurpose;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) reminderId: string | null;
  @ApiProperty({ example: 'log' }) provider: string;
  @ApiProperty({ enum: ['sending', 'sent', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) providerMessageId: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveryStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveryErrorCode: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
}

export function toOutboxMessageResponse(message: SmsMessageEntity): OutboxMessageResponse {
  return {
    id: message.id,
    to: message.toNumber,
    body: message.body,
    purpose: message.purpose,
    reminderId: message.reminderId,
    provider: message.provider,
    status: message.status,
    providerMessageId: message.providerMessageId,
    attempts: message.attempts,
    error: message.lastError,
    deliveryStatus: message.deliveryStatus,
    deliveryErrorCode: message.deliveryErrorCode,
    createdAt: toClinicIso(message.createdAt),
    sentAt: message.sentAt ? toClinicIso(message.sentAt) : null,
  };
}
