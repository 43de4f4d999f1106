import { Transform } from 'class-transformer';

/** Surrounding spaces of a typed value are not part of it ("  Dana " is "Dana", and "  " is empty). */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
