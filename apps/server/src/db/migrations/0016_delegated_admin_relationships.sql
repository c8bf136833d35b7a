CREATE TABLE "delegated_admin_amendments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"relationship_id" uuid NOT NULL,
	"roles" text[],
	"duration" text,
	"state" text NOT NULL,
	"proposed_by_user_id" uuid,
	"decided_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ALTER COLUMN "starts_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "display_name" text;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "duration" text;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "auto_extend_duration" text DEFAULT 'P0D' NOT NULL;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "reseller_organization_id" uuid;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "reseller_consented_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "invitation_id" uuid;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "approval_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "reminded_days" integer;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "created_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delegated_admin_amendments" ADD CONSTRAINT "delegated_admin_amendments_relationship_id_delegated_admin_grants_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."delegated_admin_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delegated_admin_amendments_relationship_idx" ON "delegated_admin_amendments" USING btree ("relationship_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "delegated_admin_amendments_pending_key" ON "delegated_admin_amendments" USING btree ("relationship_id") WHERE state = 'pending';--> statement-breakpoint
ALTER TABLE "delegated_admin_grants" ADD CONSTRAINT "delegated_admin_grants_reseller_organization_id_organizations_id_fk" FOREIGN KEY ("reseller_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "delegated_admin_grants_display_name_key" ON "delegated_admin_grants" USING btree ("partner_organization_id",lower("display_name")) WHERE display_name is not null;--> statement-breakpoint
CREATE INDEX "delegated_admin_grants_sweep_idx" ON "delegated_admin_grants" USING btree ("state","ends_at") WHERE state in ('active', 'approval_pending');--> statement-breakpoint
CREATE INDEX "delegated_admin_grants_reseller_idx" ON "delegated_admin_grants" USING btree ("reseller_organization_id") WHERE reseller_organization_id is not null;--> statement-breakpoint
-- Every existing grant becomes a relationship with the same roles, start, end and state (revoked is now terminated).
UPDATE "delegated_admin_grants" SET "state" = 'terminated' WHERE "state" = 'revoked';--> statement-breakpoint
UPDATE "delegated_admin_grants" SET
	"duration" = CASE WHEN "ends_at" IS NULL THEN NULL ELSE 'P' || greatest(1, ceil(extract(epoch FROM ("ends_at" - "starts_at")) / 86400))::int || 'D' END,
	"decided_at" = "starts_at",
	"invitation_id" = CASE "origin_type"
		WHEN 'partnership' THEN (SELECT p."invitation_id" FROM "partnerships" p WHERE p."id" = "origin_id")
		ELSE (SELECT r."invitation_id" FROM "reseller_relationships" r WHERE r."id" = "origin_id")
	END;
