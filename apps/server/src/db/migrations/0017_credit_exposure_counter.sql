ALTER TABLE "credit_terms" ADD COLUMN "exposure_period" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credit_terms" ADD COLUMN "exposure_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill: every line's counter starts at the sum of its pair's completed orders of the current month (UTC).
UPDATE "credit_terms" c SET
  "exposure_period" = date_trunc('month', now() at time zone 'utc') at time zone 'utc',
  "exposure_amount" = (
    select coalesce(sum(o."total_amount"), 0) from "orders" o
    where o."provider_organization_id" = c."provider_organization_id" and o."reseller_organization_id" = c."reseller_organization_id"
      and o."state" = 'completed' and o."created_at" >= date_trunc('month', now() at time zone 'utc') at time zone 'utc'
  );
