-- Existing relationships get their customer's domain and country before the columns become required.
ALTER TABLE "reseller_relationships" ADD COLUMN "customer_domain" text;--> statement-breakpoint
ALTER TABLE "reseller_relationships" ADD COLUMN "customer_country" text;--> statement-breakpoint
UPDATE "reseller_relationships" AS rr SET "customer_domain" = o."domain", "customer_country" = o."country" FROM "organizations" AS o WHERE o."id" = rr."customer_organization_id";--> statement-breakpoint
ALTER TABLE "reseller_relationships" ALTER COLUMN "customer_domain" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reseller_relationships" ALTER COLUMN "customer_country" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "reseller_relationships_partner_domain_idx" ON "reseller_relationships" USING btree ("partner_organization_id","customer_domain","customer_organization_id") WHERE state = 'active';--> statement-breakpoint
CREATE INDEX "reseller_relationships_partner_country_idx" ON "reseller_relationships" USING btree ("partner_organization_id","customer_country","customer_organization_id") WHERE state = 'active';--> statement-breakpoint
CREATE INDEX "reseller_relationships_partner_since_idx" ON "reseller_relationships" USING btree ("partner_organization_id","created_at","customer_organization_id") WHERE state = 'active';
