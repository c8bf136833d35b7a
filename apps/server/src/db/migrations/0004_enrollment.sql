CREATE TABLE "membership_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "membership_sign_ins" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"membership_id" text NOT NULL,
	"legal_name" text NOT NULL,
	"country" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "legal_profile" jsonb;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "primary_contact" jsonb;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "support_profile" jsonb;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "enrolled_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "verification_token_hash" text;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "verification_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD COLUMN "decision_reason" text;--> statement-breakpoint
ALTER TABLE "membership_sign_ins" ADD CONSTRAINT "membership_sign_ins_account_id_membership_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."membership_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_sign_ins" ADD CONSTRAINT "membership_sign_ins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_membership_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."membership_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "membership_accounts_email_key" ON "membership_accounts" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_membership_id_key" ON "memberships" USING btree ("membership_id");--> statement-breakpoint
CREATE INDEX "memberships_account_idx" ON "memberships" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "partner_profiles_state_idx" ON "partner_profiles" USING btree ("state","created_at");