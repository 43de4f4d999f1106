import { MigrationInterface, QueryRunner } from 'typeorm';

export class CalendarFeeds1796021011339 implements MigrationInterface {
  name = 'CalendarFeeds1796021011339';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "calendar_feeds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "scope" character varying(10) NOT NULL,
                "target_id" uuid NOT NULL,
                "token_hash" character varying(64) NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "ck_calendar_feeds_scope" CHECK ("scope" IN ('staff', 'resource', 'location')),
                CONSTRAINT "PK_045067d8bb57f971f3c5426ea71" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_calendar_feeds_created_by" ON "calendar_feeds" ("created_by")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_calendar_feeds_token_hash" ON "calendar_feeds" ("token_hash")
        `);
    await queryRunner.query(`
            ALTER TABLE "calendar_feeds"
            ADD CONSTRAINT "fk_calendar_feeds_created_by" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "calendar_feeds" DROP CONSTRAINT "fk_calendar_feeds_created_by"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_calendar_feeds_token_hash"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_calendar_feeds_created_by"
        `);
    await queryRunner.query(`
            DROP TABLE "calendar_feeds"
        `);
  }
}
