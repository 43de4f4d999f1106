import { MigrationInterface, QueryRunner } from 'typeorm';

/** Course sessions by course: the course pages and the courses report read them by course_id. */
export class AppointmentsByCourse1796019983502 implements MigrationInterface {
  name = 'AppointmentsByCourse1796019983502';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "ix_appointments_course" ON "appointments" ("course_id")
            WHERE "course_id" IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ix_appointments_course"
        `);
  }
}
