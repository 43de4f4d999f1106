import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booking inserts its appointment and resource segments in one statement with ON CONFLICT DO NOTHING
 * (no deadlocks between concurrent bookings). When a segment loses to a concurrent booking, this function
 * fails the whole statement, so the appointment row never stands without its segments.
 */
export class BookingAssertion1795310000000 implements MigrationInterface {
  name = 'BookingAssertion1795310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION clinic_refuse_if(refused boolean, rule text) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        IF refused THEN
          RAISE EXCEPTION 'booking refused: %', rule USING ERRCODE = 'CL001';
        END IF;
        RETURN true;
      END
      $$
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION clinic_refuse_if(boolean, text)');
  }
}
