-- The seats assigned of a subscription, read on a snapshot of its own. The subscription patch is one
-- statement that locks the subscription and then checks a lowered quantity against its seats; all of
-- a statement's reads share the snapshot taken when it started, which predates the row lock it may
-- have waited for, so a seat assigned by the transaction that held the lock would be missing from a
-- count in the statement itself. A VOLATILE function takes a fresh snapshot for each query it runs
-- (READ COMMITTED): called on the locked row, it counts every seat committed before the lock was
-- granted, as a separate statement after the lock did. PL/pgSQL keeps its plan for the session.
CREATE FUNCTION "commerce_seats_assigned"("subscription" uuid) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN (SELECT count(*)::integer FROM "license_assignments" WHERE "subscription_id" = "subscription");
END
$$;
