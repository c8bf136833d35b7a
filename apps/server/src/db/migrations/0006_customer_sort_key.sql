-- Existing relationships get their customer's sort name before the column becomes required.
ALTER TABLE "reseller_relationships" ADD COLUMN "customer_sort_name" text;--> statement-breakpoint
UPDATE "reseller_relationships" AS rr SET "customer_sort_name" = lower(o."name") FROM "organizations" AS o WHERE o."id" = rr."customer_organization_id";--> statement-breakpoint
ALTER TABLE "reseller_relationships" ALTER COLUMN "customer_sort_name" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "reseller_relationships_partner_keyset_idx" ON "reseller_relationships" USING btree ("partner_organization_id","customer_sort_name","customer_organization_id") WHERE state = 'active';
