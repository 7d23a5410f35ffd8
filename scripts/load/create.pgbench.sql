-- The SQL the service runs for one POST /boletos that the instant sandbox bank registers at once
-- (PostgresStore: the create transaction, then the outcome transaction). The client is cached (ClientCache), so
-- authentication runs no SQL, and the synchronous attempt starts from the record the create returned.
-- Text holding colons comes in as variables (pgbench would read ":name" inside literals as a variable), so the
-- instants and JSON are bound parameters, as they are in the service:
-- pgbench -n -M prepared -c 32 -j 2 -T 10 -D ts=… -D details=… -D queue=… -D payload=… -D detail=… \
--   -f scripts/load/create.pgbench.sql            (after scripts/load/pgbench-setup.sql; see scripts/load-postgres.sh)
\set n random(1, 2000000000)
BEGIN;
INSERT INTO title_sequences AS s (bank, agency, account, next_value) VALUES ('237', '3381', '9721', 2)
  ON CONFLICT (bank, agency, account) DO UPDATE SET next_value = s.next_value + 1 RETURNING next_value - 1 AS title \gset
SELECT 1 AS taken FROM boletos WHERE bank = '237' AND issuer_agency = '3381' AND issuer_account = '9721' AND title_id = :title;
INSERT INTO boletos (id, client_id, token, status, bank, issuer, issuer_account, issuer_agency, issuer_wallet, title_id,
    nosso_numero, due_date, amount, paid_amount, barcode, digitable_line, payer_document_number, reference_id,
    issuer_response_code, bank_response_code, details, created_at, updated_at)
  VALUES ('bol_' || :n || '_' || :title, 'cli_loadbench00000', 'sandbox_' || :n || '_' || :title, 'issued', '237', 'sandbox',
    '9721', '3381', '26', :title, '26/00000000001-7', '2027-01-15', 2000, 0, '23798165700000020003381260000000000100097210',
    '23793.38128 60000.000004 01000.972107 8 16570000002000', '11144477735', 'load', NULL, NULL,
    :details,
    :ts, :ts);
INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
  VALUES ('evt_c' || :n || '_' || :title, 'bol_' || :n || '_' || :title, 'created', 'issued', NULL, '{}', :ts);
INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
  VALUES ('job_r' || :n || '_' || :title, 'register', 'bol_' || :n || '_' || :title, '', '', NULL, 1, :ts,
    :ts);
COMMIT;
BEGIN;
SELECT * FROM boletos WHERE id = 'bol_' || :n || '_' || :title FOR UPDATE;
UPDATE boletos SET status = 'registered', paid_amount = 0, issuer_response_code = '0', bank_response_code = NULL,
    barcode = '23798165700000020003381260000000000100097210', digitable_line = '23793.38128 60000.000004 01000.972107 8 16570000002000',
    updated_at = :ts WHERE id = 'bol_' || :n || '_' || :title;
INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
  VALUES ('evt_s' || :n || '_' || :title, 'bol_' || :n || '_' || :title, 'status_changed', 'registered', 'issued', :detail,
    :ts);
DELETE FROM outbox WHERE boleto_id = 'bol_' || :n || '_' || :title AND kind = 'register';
INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
  VALUES ('job_q' || :n || '_' || :title, 'sqs', 'bol_' || :n || '_' || :title, :queue,
    :payload, 'evt_s' || :n || '_' || :title, 0, :ts,
    :ts);
COMMIT;
