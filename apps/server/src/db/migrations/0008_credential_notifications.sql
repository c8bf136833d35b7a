-- Every change that alters what an API key resolves to (the key itself, its organization's kind,
-- the organization's approved programs) NOTIFYs tierlink_credentials; each app instance LISTENs
-- and flushes its cache of resolved keys. A trigger, so that no code path (nor a hand-made
-- UPDATE) can forget it. Statement-level: one notification per statement, delivered on commit.
CREATE FUNCTION "tierlink_notify_credentials"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tierlink_credentials', TG_TABLE_NAME);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "api_keys_credentials" AFTER UPDATE OF "name", "roles", "organization_id", "secret_hash", "revoked_at" OR DELETE ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION "tierlink_notify_credentials"();--> statement-breakpoint
CREATE TRIGGER "organizations_credentials" AFTER UPDATE OF "kind" OR DELETE ON "organizations" FOR EACH STATEMENT EXECUTE FUNCTION "tierlink_notify_credentials"();--> statement-breakpoint
CREATE TRIGGER "partner_profiles_credentials" AFTER INSERT OR UPDATE OF "state", "program", "organization_id" OR DELETE ON "partner_profiles" FOR EACH STATEMENT EXECUTE FUNCTION "tierlink_notify_credentials"();
