import { MigrationInterface, QueryRunner } from 'typeorm';

/** The clinic group's three clinics are reference data: every deployment has them. */
export class ReferenceClinics1795307100000 implements MigrationInterface {
  name = 'ReferenceClinics1795307100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO locations (code, name, timezone, address, phone) VALUES
        ('aurora', 'Aurora Clinic', 'America/Denver', '14200 E Alameda Ave, Suite 300, Aurora, CO 80012', '+13035550140'),
        ('louisville', 'Louisville Clinic', 'America/Denver', '1000 W South Boulder Rd, Suite 110, Louisville, CO 80027', '+13035550141'),
        ('westminster', 'Westminster Clinic', 'America/Denver', '8800 N Sheridan Blvd, Suite 200, Westminster, CO 80031', '+13035550142')
      ON CONFLICT (code) DO NOTHING
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM locations WHERE code IN ('aurora', 'louisville', 'westminster')`);
  }
}
