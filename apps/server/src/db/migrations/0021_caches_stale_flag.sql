-- The credentials trigger (0008) also marks its transaction: `tierlink.caches_stale` is set to 'on'
-- until the transaction ends. The unit of work reads it in the statement that writes a
-- transaction's audit and outbox rows (the last before COMMIT), and flushes this instance's cache
-- of resolved API keys only after a commit so marked. Before, every write commit flushed it, so
-- under a stream of orders nearly every request looked its key up again. Other instances still
-- learn of the change from the NOTIFY.
CREATE OR REPLACE FUNCTION "tierlink_notify_credentials"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tierlink_credentials', TG_TABLE_NAME);
  PERFORM set_config('tierlink.caches_stale', 'on', true);
  RETURN NULL;
END
$$;
