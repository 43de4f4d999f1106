import { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1796019454809 implements MigrationInterface {
  name = 'Accounts1796019454809';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "auth_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "staff_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "end_reason" character varying(30),
                "client_address" character varying(64),
                CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_auth_sessions_staff" ON "auth_sessions" ("staff_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "login_failures" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "account" character varying(254) NOT NULL,
                "address" character varying(64) NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_8211e8ec810fd7f976b98ce97a0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_login_failures_address" ON "login_failures" ("address", "at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_login_failures_account" ON "login_failures" ("account", "at")
        `);
    await queryRunner.query(`
            CREATE TABLE "auth_refresh_tokens" (
                "token_hash" character varying(64) NOT NULL,
                "session_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_95e0bce05491b0dee2f28ffd112" PRIMARY KEY ("token_hash")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_auth_refresh_tokens_session" ON "auth_refresh_tokens" ("session_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "password_change_required" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "sessions_not_before" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "failed_logins" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "locked_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "mfa_secret" character varying(200)
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "mfa_pending_secret" character varying(200)
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "mfa_enabled_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "staff"
            ADD "mfa_last_step" integer
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_sessions"
            ADD CONSTRAINT "fk_auth_sessions_staff" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_refresh_tokens"
            ADD CONSTRAINT "fk_auth_refresh_tokens_session" FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "auth_refresh_tokens" DROP CONSTRAINT "fk_auth_refresh_tokens_session"
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_sessions" DROP CONSTRAINT "fk_auth_sessions_staff"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "mfa_last_step"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "mfa_enabled_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "mfa_pending_secret"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "mfa_secret"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "locked_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "failed_logins"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "sessions_not_before"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff" DROP COLUMN "password_change_required"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_auth_refresh_tokens_session"
        `);
    await queryRunner.query(`
            DROP TABLE "auth_refresh_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_login_failures_account"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_login_failures_address"
        `);
    await queryRunner.query(`
            DROP TABLE "login_failures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_auth_sessions_staff"
        `);
    await queryRunner.query(`
            DROP TABLE "auth_sessions"
        `);
  }
}
