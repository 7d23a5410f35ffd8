-- The SQL the service runs for one GET /boletos/:id once its client is cached (ClientCache): the primary-key read,
-- which is also the issue's baseline ("pgbench's primary-key select").
-- pgbench -n -M prepared -c 32 -j 2 -T 10 -D id=bol_... -f scripts/load/read.pgbench.sql
SELECT * FROM boletos WHERE id = :id AND client_id = 'cli_loadbench00000';
