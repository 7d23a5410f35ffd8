-- The SQL the service runs for one GET /boletos/:id: authenticate, then the primary-key read.
-- pgbench -n -M prepared -c 32 -j 2 -T 10 -D id=bol_... -f scripts/load/read.pgbench.sql
SELECT * FROM clients WHERE id = 'cli_loadbench00000';
SELECT * FROM boletos WHERE id = :id AND client_id = 'cli_loadbench00000';
