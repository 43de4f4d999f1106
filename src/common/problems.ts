/** RFC 9457 problem details, as every error of the API is answered. */
export interface FieldError {
  field: string;
  message: string;
}

export interface Conflict {
  appointmentId?: string;
  resourceId?: string;
  reason: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The rule that refused the action (409s). */
  rule?: string;
  errors?: FieldError[];
  conflicts?: Conflict[];
  [extension: string]: unknown;
}

/** An expected refusal, thrown by services and mapped to problem+json by the one exception filter. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  toProblem(): ProblemDetails {
    return {
      type: this.extensions.rule ? `/problems/${String(this.extensions.rule)}` : 'about:blank',
      title: this.title,
      status: this.status,
      detail: this.message,
      ...this.extensions,
    };
  }
}

/** 409: a scheduling or workflow rule refuses the action; `rule` names it. */
export class RuleViolation extends DomainError {
  constructor(
    readonly rule: string,
    detail: string,
    conflicts?: Conflict[],
    extra: Record<string, unknown> = {},
  ) {
    super(409, 'Refused by a scheduling or workflow rule', detail, {
      rule,
      ...(conflicts ? { conflicts } : {}),
      ...extra,
    });
  }
}

export class NotFound extends DomainError {
  constructor(entity: string, id: string) {
    super(404, 'Not Found', `${entity} ${id} does not exist`);
  }
}

export class InvalidInput extends DomainError {
  constructor(errors: FieldError[]) {
    super(400, 'Bad Request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }

  static field(field: string, message: string): InvalidInput {
    return new InvalidInput([{ field, message }]);
  }
}

export class Forbidden extends DomainError {
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}

/** 401: no valid credentials; `type` (e.g. /problems/mfa-required) says what the client should do. */
export class Unauthorized extends DomainError {
  constructor(detail: string, type?: string) {
    super(401, 'Unauthorized', detail, type ? { type } : {});
  }
}

/** 429 or 503 with `Retry-After`: try again in `retryAfter` seconds (a throttled login, a hashing queue full). */
export class TryLater extends DomainError {
  constructor(status: 429 | 503, detail: string, retryAfter: number, type?: string) {
    super(status, status === 429 ? 'Too Many Requests' : 'Service Unavailable', detail, {
      retryAfter: Math.max(1, Math.ceil(retryAfter)),
      ...(type ? { type } : {}),
    });
  }
}
