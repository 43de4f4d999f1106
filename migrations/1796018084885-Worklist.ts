import { MigrationInterface, QueryRunner } from 'typeorm';

export class Worklist1796018084885 implements MigrationInterface {
  name = 'Worklist1796018084885';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "worklist_items" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" character varying(30) NOT NULL,
                "location_id" uuid NOT NULL,
                "appointment_id" uuid,
                "patient_id" uuid,
                "detail" character varying(1000) NOT NULL,
                "dedupe_key" character varying(200),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "done_at" TIMESTAMP WITH TIME ZONE,
                "done_by" uuid,
                "resolution" character varying(200),
                CONSTRAINT "ck_worklist_items_kind" CHECK (
                    "kind" IN (
                        'reschedule-request',
                        'closure-affected',
                        'chair-conflict',
                        'unmatched-reply',
                        'offer-expired'
                    )
                ),
                CONSTRAINT "PK_5ac00fbd5f416513a94281e2a13" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_worklist_items_open_key" ON "worklist_items" ("dedupe_key")
            WHERE "done_at" IS NULL
                AND "dedupe_key" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_worklist_items_appointment" ON "worklist_items" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_worklist_items_open" ON "worklist_items" ("location_id", "created_at")
            WHERE "done_at" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items"
            ADD CONSTRAINT "fk_worklist_items_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items"
            ADD CONSTRAINT "fk_worklist_items_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items"
            ADD CONSTRAINT "fk_worklist_items_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items"
            ADD CONSTRAINT "fk_worklist_items_done_by" FOREIGN KEY ("done_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "worklist_items" DROP CONSTRAINT "fk_worklist_items_done_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items" DROP CONSTRAINT "fk_worklist_items_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items" DROP CONSTRAINT "fk_worklist_items_appointment"
        `);
    await queryRunner.query(`
            ALTER TABLE "worklist_items" DROP CONSTRAINT "fk_worklist_items_location"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_worklist_items_open"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_worklist_items_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_worklist_items_open_key"
        `);
    await queryRunner.query(`
            DROP TABLE "worklist_items"
        `);
  }
}
