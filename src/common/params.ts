import { Param, ParseUUIDPipe } from '@nestjs/common';
import { InvalidInput } from './problems';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => InvalidInput.field(name, `${name} must be a UUID`) }));
