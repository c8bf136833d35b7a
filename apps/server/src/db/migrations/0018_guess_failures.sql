-- Wrong token guesses per client, one row per failure (RATE-03). The counts that were in
-- sign_in_throttles under `guess-ip:` keys expire within their minute and are swept within a day.
CREATE TABLE "guess_failures" (
	"key" text NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"id" uuid NOT NULL,
	"failed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "guess_failures_key_window_started_at_id_pk" PRIMARY KEY("key","window_started_at","id")
);
--> statement-breakpoint
CREATE INDEX "guess_failures_window_idx" ON "guess_failures" USING btree ("window_started_at");
