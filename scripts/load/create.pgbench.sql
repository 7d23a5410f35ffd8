-- The SQL the service runs for one POST /boletos that the instant sandbox bank registers at once (PostgresStore and
-- PostgresStatements): one create statement, then the outcome as a compare-and-set; one create in 16 first reserves
-- a block of title ids (TitleBlocks, BOLETO_TITLE_BLOCK_SIZE=16). The client is cached (ClientCache), so
-- authentication runs no SQL. pgbench runs both statements prepared (-M prepared), as the service does.
-- The events and jobs the service sends as JSON arrays are built here with json_build_* from the transaction's
-- numbers, since pgbench would read ":name" inside a literal as a variable; the instants and details come in as
-- variables:
-- pgbench -n -M prepared -c 32 -j 2 -T 10 -D ts=… -D details=… -D queue=… -D payload=… -D detail=… \
--   -f scripts/load/create.pgbench.sql            (after scripts/load/pgbench-setup.sql; see scripts/load-postgres.sh)
\set n random(1, 2000000000)
\set block random(1, 16)
\if :block = 1
INSERT INTO title_sequences AS s (bank, agency, account, next_value) VALUES ('237', '3381', '9721', 17)
  ON CONFLICT (bank, agency, account) DO UPDATE SET next_value = s.next_value + 16 RETURNING next_value - 16 AS first;
\endif
\set title :n
WITH b AS (
    INSERT INTO boletos (id, client_id, token, status, bank, issuer, issuer_account, issuer_agency, issuer_wallet,
        title_id, nosso_numero, due_date, amount, paid_amount, barcode, digitable_line, payer_document_number,
        reference_id, issuer_response_code, bank_response_code, details, created_at, updated_at)
    SELECT 'bol_' || :n::text, 'cli_loadbench00000', 'sandbox_' || :n::text, 'issued', '237', 'sandbox', '9721', '3381', '26',
        :title::bigint, '26/00000000001-7', '2027-01-15', 2000, 0, '23798165700000020003381260000000000100097210',
        '23793.38128 60000.000004 01000.972107 8 16570000002000', '11144477735', 'load', NULL, NULL, :details::text, :ts::text, :ts::text
    WHERE NOT EXISTS (SELECT 1 FROM boletos WHERE bank = '237' AND issuer_agency = '3381' AND issuer_account = '9721'
        AND title_id = :title::bigint)
    RETURNING id),
e AS (
    INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
    SELECT id, boleto_id, type, status, previous_status, detail, created_at
    FROM json_to_recordset(json_build_array(json_build_object('n', 0, 'id', 'evt_c' || :n::text, 'boleto_id', 'bol_' || :n::text,
        'type', 'created', 'status', 'issued', 'previous_status', NULL, 'detail', '{}', 'created_at', :ts::text)))
        AS e(n bigint, id text, boleto_id text, type text, status text, previous_status text, detail text, created_at text)
    WHERE EXISTS (SELECT 1 FROM b) ORDER BY n),
j AS (
    INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
    SELECT id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at
    FROM json_to_recordset(json_build_array(json_build_object('n', 0, 'id', 'job_r' || :n::text, 'kind', 'register',
        'boleto_id', 'bol_' || :n::text, 'target', '', 'payload', '', 'event_id', NULL, 'attempts', 1, 'available_at', :ts::text,
        'created_at', :ts::text)))
        AS j(n bigint, id text, kind text, boleto_id text, target text, payload text, event_id text, attempts int,
        available_at text, created_at text)
    WHERE EXISTS (SELECT 1 FROM b) ORDER BY n)
SELECT (SELECT count(*) FROM b) AS inserted;
WITH u AS (
    UPDATE boletos SET status = 'registered', paid_amount = 0, issuer_response_code = '0', bank_response_code = NULL,
        barcode = '23798165700000020003381260000000000100097210',
        digitable_line = '23793.38128 60000.000004 01000.972107 8 16570000002000', details = :details::text, updated_at = :ts::text
    WHERE id = 'bol_' || :n::text AND status = 'issued' AND paid_amount = 0 AND issuer_response_code IS NULL
        AND bank_response_code IS NULL AND barcode = '23798165700000020003381260000000000100097210'
        AND digitable_line = '23793.38128 60000.000004 01000.972107 8 16570000002000' AND details = :details::text
        AND updated_at = :ts::text
    RETURNING id),
r AS (
    DELETE FROM outbox WHERE boleto_id = 'bol_' || :n::text AND kind = ANY(ARRAY['register']) AND EXISTS (SELECT 1 FROM u)
    RETURNING id),
e AS (
    INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
    SELECT id, boleto_id, type, status, previous_status, detail, created_at
    FROM json_to_recordset(json_build_array(json_build_object('n', 0, 'id', 'evt_s' || :n::text, 'boleto_id', 'bol_' || :n::text,
        'type', 'status_changed', 'status', 'registered', 'previous_status', 'issued', 'detail', :detail::text,
        'created_at', :ts::text)))
        AS e(n bigint, id text, boleto_id text, type text, status text, previous_status text, detail text, created_at text)
    WHERE EXISTS (SELECT 1 FROM u) ORDER BY n),
j AS (
    INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
    SELECT id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at
    FROM json_to_recordset(json_build_array(json_build_object('n', 0, 'id', 'job_q' || :n::text, 'kind', 'sqs',
        'boleto_id', 'bol_' || :n::text, 'target', :queue::text, 'payload', :payload::text, 'event_id', 'evt_s' || :n::text, 'attempts', 0,
        'available_at', :ts::text, 'created_at', :ts::text)))
        AS j(n bigint, id text, kind text, boleto_id text, target text, payload text, event_id text, attempts int,
        available_at text, created_at text)
    WHERE EXISTS (SELECT 1 FROM u) ORDER BY n)
SELECT (SELECT count(*) FROM u) AS updated;
