import { AuditLogEntity } from '../audit/audit-log.entity';
import { LocationHoursEntity } from '../locations/location-hours.entity';
import { LocationEntity } from '../locations/location.entity';
import { ResourceEntity } from '../locations/resource.entity';
import { StaffEntity } from '../staff/staff.entity';

/** Every entity of the schema; the migrations must leave exactly this schema. */
export const ENTITIES = [LocationEntity, ResourceEntity, LocationHoursEntity, StaffEntity, AuditLogEntity];
