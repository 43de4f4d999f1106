import { Injectable } from '@nestjs/common';
import { SessionState, SessionsRepository } from './sessions.repository';

/**
 * The guard's view of sessions: the session and its person as they are in the database at this request.
 *
 * Not cached, on purpose. A cache dropped through the `account_changes` notifications (which every change
 * still sends) leaves a window of a few milliseconds in which another instance has not yet read the
 * notification from its socket; the two-instance test caught a demoted person's next request passing in
 * it. One indexed query per request (~0.1 ms), which also answers clinic scoping's question about the patients
 * the request names makes "a deactivation or role change applies to the very
 * next request on every instance" hold without a window.
 */
@Injectable()
export class SessionStates {
  constructor(private readonly sessions: SessionsRepository) {}

  /** `patientIds`: the patients the request names, whose visibility to the person is read in the same statement. */
  get(sessionId: string, patientIds: string[] = []): Promise<SessionState | undefined> {
    return this.sessions.findState(sessionId, undefined, patientIds);
  }
}
