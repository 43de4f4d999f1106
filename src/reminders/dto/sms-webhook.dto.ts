import { FieldError, InvalidInput } from '../../common/problems';
import type { DeliveryReport, InboundSms } from '../sms-inbound.service';

/**
 * The provider posts many more form fields than these, and may add new ones: the webhooks read what
 * they need from the whole form (all of it is covered by the signature) rather than refuse the rest.
 */
type Form = Record<string, unknown>;

function text(form: Form, field: string): string | undefined {
  const value = form[field];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function readInboundSms(form: Form): InboundSms {
  const errors: FieldError[] = [];
  const from = text(form, 'From');
  if (!from || from.length > 40) errors.push({ field: 'From', message: 'From must be the sender number' });
  const body = text(form, 'Body') ?? '';
  if (body.length > 1600) errors.push({ field: 'Body', message: 'Body must be at most 1600 characters' });
  const messageSid = text(form, 'MessageSid');
  if (messageSid !== undefined && !/^[A-Za-z0-9]{1,64}$/.test(messageSid)) errors.push({ field: 'MessageSid', message: 'MessageSid must be a message id' });
  if (errors.length) throw new InvalidInput(errors);
  return { from: from!, body, messageSid: messageSid || undefined };
}

export function readDeliveryReport(form: Form): DeliveryReport {
  const errors: FieldError[] = [];
  const messageSid = text(form, 'MessageSid');
  if (!messageSid || !/^[A-Za-z0-9]{1,64}$/.test(messageSid)) errors.push({ field: 'MessageSid', message: 'MessageSid must be a message id' });
  const messageStatus = text(form, 'MessageStatus');
  if (!messageStatus || !/^[a-z_]{1,20}$/.test(messageStatus))
    errors.push({ field: 'MessageStatus', message: 'MessageStatus must be a delivery status, e.g. delivered' });
  const errorCode = text(form, 'ErrorCode');
  if (errorCode !== undefined && errorCode !== '' && !/^\d{1,10}$/.test(errorCode)) errors.push({ field: 'ErrorCode', message: 'ErrorCode must be a number' });
  if (errors.length) throw new InvalidInput(errors);
  return { messageSid: messageSid!, messageStatus: messageStatus!, errorCode: errorCode || undefined };
}
