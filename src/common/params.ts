import { Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { InvalidInput } from './problems';
import { isCalendarDate } from './validation';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name: string) => Param(name, new ParseUUIDPipe({ exceptionFactory: () => InvalidInput.field(name, `${name} must be a UUID`) }));

class ParseCalendarDatePipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isCalendarDate(value)) throw InvalidInput.field(this.name, `${this.name} must be a calendar date YYYY-MM-DD`);
    return value;
  }
}

/** A path parameter that must be a calendar date YYYY-MM-DD; anything else is a 400 naming the parameter. */
export const CalendarDateParam = (name: string) => Param(name, new ParseCalendarDatePipe(name));
