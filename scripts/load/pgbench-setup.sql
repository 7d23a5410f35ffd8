-- The client the pgbench scripts authenticate as (run after `boleto migrate` on the benchmark database).
INSERT INTO clients (id, name, key_hash, webhook_secret, created_at)
  VALUES ('cli_loadbench00000', 'pgbench', 'x', 'x', '2026-12-01T19:00:00.000Z') ON CONFLICT DO NOTHING;
