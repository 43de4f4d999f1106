import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ResourceKind } from './domain/resources';
import { LocationEntity } from './location.entity';

@Entity('resources')
@Index('uq_resources_location_name', ['locationId', 'name'], { unique: true })
@Check('ck_resources_kind', `"kind" IN ('treatment_chair', 'tms_device', 'ect_suite', 'recovery_bay')`)
export class ResourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_resources_location' })
  location?: LocationEntity;

  @Column({ type: 'varchar', length: 80 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ResourceKind;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
