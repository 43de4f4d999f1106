import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SessionsRepository } from './sessions.repository';

/** What other modules may read of the TMS records: when each course last measured the motor threshold. */
@Injectable()
export class MotorThresholds {
  constructor(private readonly sessions: SessionsRepository) {}

  /** The last motor-threshold measurement per course (courses without one are left out). */
  lastMeasuredAt(courseIds: string[], manager?: EntityManager): Promise<Map<string, Date>> {
    return this.sessions.findLastMotorThresholds(courseIds, manager);
  }
}
