import { MigrationInterface, QueryRunner } from 'typeorm';

export class Extensions1763769600000 implements MigrationInterface {
  name = 'Extensions1763769600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // btree_gist lets one exclusion constraint combine "same resource" (=) with "overlapping time" (&&).
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP EXTENSION IF EXISTS btree_gist');
  }
}
