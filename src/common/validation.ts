import { Injectable, PipeTransform, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
import { FieldError, InvalidInput } from './problems';
import { ValidationFailed } from './problem-details.filter';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ field, message: message.replace(/^property \S+ should not exist$/, 'unknown field') });
    }
    if (error.children?.length) result.push(...flatten(error.children, field));
  }
  return result;
}

export const validationExceptionFactory = (errors: ValidationError[]) => new ValidationFailed(flatten(errors));

/** The options of the global pipe, for pipes that validate arrays (ParseArrayPipe) too. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: validationExceptionFactory,
};

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(VALIDATION_OPTIONS);
}

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant that carries its offset (Z or ±hh:mm); a bare local time is refused. */
export function parseOffsetDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 40 || !OFFSET_DATE_TIME.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) return undefined;
  const year = parsed.toUTC().year;
  if (year < 2000 || year > 2200) return undefined;
  return parsed.toJSDate();
}

export function IsOffsetDateTime(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isOffsetDateTime',
      target: object.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be an ISO-8601 date-time with an offset, e.g. 2026-11-02T09:00:00-07:00`,
        ...options,
      },
      validator: { validate: (value: unknown) => parseOffsetDateTime(value) !== undefined },
    });
}

/** A calendar date YYYY-MM-DD that exists. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid && parsed.year >= 1900 && parsed.year <= 2200;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a calendar date YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });
}

/** A local wall time HH:mm (00:00–23:59). */
export function IsWallTime(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isWallTime',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a local time HH:mm', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) },
    });
}

/** Validates a body that is a JSON array of `itemType`; errors name the item: `[2].opens`. */
@Injectable()
export class ValidatedArrayPipe<T extends object> implements PipeTransform<unknown, Promise<T[]>> {
  constructor(
    private readonly itemType: Type<T>,
    private readonly maxItems = 100,
  ) {}

  async transform(value: unknown): Promise<T[]> {
    if (!Array.isArray(value)) throw InvalidInput.field('body', 'must be a JSON array');
    if (value.length > this.maxItems) throw InvalidInput.field('body', `must have at most ${this.maxItems} items`);
    const items = value.map((item) => plainToInstance(this.itemType, item));
    const errors: FieldError[] = [];
    for (const [index, item] of items.entries()) {
      if (typeof value[index] !== 'object' || value[index] === null) {
        errors.push({ field: `[${index}]`, message: 'must be an object' });
        continue;
      }
      const itemErrors = await validate(item, { whitelist: true, forbidNonWhitelisted: true });
      errors.push(...flatten(itemErrors, `[${index}]`));
    }
    if (errors.length) throw new InvalidInput(errors);
    return items;
  }
}
