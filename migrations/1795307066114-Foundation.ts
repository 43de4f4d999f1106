import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795307066114 implements MigrationInterface {
  name = 'Foundation1795307066114';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "actor_id" uuid,
                "actor_role" character varying(20) NOT NULL,
                "action" character varying(60) NOT NULL,
                "entity_type" character varying(40) NOT NULL,
                "entity_id" character varying(64),
                "request_id" character varying(64),
                "details" jsonb,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_audit_log_at" ON "audit_log" ("at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_audit_log_entity" ON "audit_log" ("entity_type", "entity_id", "at")
        `);
    await queryRunner.query(`
            CREATE TABLE "locations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(40) NOT NULL,
                "name" character varying(120) NOT NULL,
                "timezone" character varying(64) NOT NULL DEFAULT 'America/Denver',
                "address" character varying(250) NOT NULL,
                "phone" character varying(20) NOT NULL,
                "observation_patients_per_nurse" integer NOT NULL DEFAULT '4',
                "slot_minutes" integer NOT NULL DEFAULT '15',
                "occupancy_overrides" jsonb NOT NULL DEFAULT '{}',
                "ride_share_accepted" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7cc1c9e3853b94816c094825e74" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_locations_code" ON "locations" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "location_hours" (
                "location_id" uuid NOT NULL,
                "weekday" smallint NOT NULL,
                "opens" TIME NOT NULL,
                "closes" TIME NOT NULL,
                CONSTRAINT "ck_location_hours_order" CHECK ("opens" < "closes"),
                CONSTRAINT "ck_location_hours_weekday" CHECK (
                    "weekday" BETWEEN 1 AND 7
                ),
                CONSTRAINT "PK_c4a56afe0013777f353619b96a8" PRIMARY KEY ("location_id", "weekday")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "resources" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "location_id" uuid NOT NULL,
                "name" character varying(80) NOT NULL,
                "kind" character varying(20) NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                CONSTRAINT "ck_resources_kind" CHECK (
                    "kind" IN (
                        'treatment_chair',
                        'tms_device',
                        'ect_suite',
                        'recovery_bay'
                    )
                ),
                CONSTRAINT "PK_632484ab9dff41bba94f9b7c85e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_resources_location_name" ON "resources" ("location_id", "name")
        `);
    await queryRunner.query(`
            CREATE TABLE "staff" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(254) NOT NULL,
                "name" character varying(120) NOT NULL,
                "role" character varying(20) NOT NULL,
                "password_hash" character varying(200),
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_staff_role" CHECK (
                    "role" IN ('admin', 'front_desk', 'nurse', 'provider')
                ),
                CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_staff_email" ON "staff" ("email")
        `);
    await queryRunner.query(`
            CREATE TABLE "staff_locations" (
                "staff_id" uuid NOT NULL,
                "location_id" uuid NOT NULL,
                CONSTRAINT "PK_d37d5505aced395bea5f2ad4e38" PRIMARY KEY ("staff_id", "location_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_4dd6ac470e3ad03e14490dab01" ON "staff_locations" ("staff_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a3594db111e1bc28b559a4faf9" ON "staff_locations" ("location_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "location_hours"
            ADD CONSTRAINT "fk_location_hours_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resources"
            ADD CONSTRAINT "fk_resources_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_locations"
            ADD CONSTRAINT "fk_staff_locations_staff" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_locations"
            ADD CONSTRAINT "fk_staff_locations_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
    // The audit trail is append-only even for the application's own role.
    await queryRunner.query(`
            CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log"
            FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await queryRunner.query(`DROP TRIGGER audit_log_no_update_delete ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`
            ALTER TABLE "staff_locations" DROP CONSTRAINT "fk_staff_locations_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_locations" DROP CONSTRAINT "fk_staff_locations_staff"
        `);
    await queryRunner.query(`
            ALTER TABLE "resources" DROP CONSTRAINT "fk_resources_location"
        `);
    await queryRunner.query(`
            ALTER TABLE "location_hours" DROP CONSTRAINT "fk_location_hours_location"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a3594db111e1bc28b559a4faf9"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4dd6ac470e3ad03e14490dab01"
        `);
    await queryRunner.query(`
            DROP TABLE "staff_locations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_staff_email"
        `);
    await queryRunner.query(`
            DROP TABLE "staff"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_resources_location_name"
        `);
    await queryRunner.query(`
            DROP TABLE "resources"
        `);
    await queryRunner.query(`
            DROP TABLE "location_hours"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_locations_code"
        `);
    await queryRunner.query(`
            DROP TABLE "locations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_audit_log_entity"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_audit_log_at"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
  }
}
