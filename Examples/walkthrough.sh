#!/usr/bin/env bash
# A walkthrough of the boleto API with curl, against `swift run boleto serve`.
#
#   swift run boleto apikey create walkthrough     # prints the key alone on its last line
#   swift run boleto serve                         # in another terminal
#   BOLETO_API_KEY=bk_… Examples/walkthrough.sh
#
# BOLETO_URL (default http://127.0.0.1:3000) names the service. Every step checks its answer and the script stops
# with a message at the first surprise. Needs curl and python3 (to read the JSON answers).
set -euo pipefail

URL=${BOLETO_URL:-http://127.0.0.1:3000}
KEY=${BOLETO_API_KEY:?set BOLETO_API_KEY (create one with: swift run boleto apikey create NAME)}
DUE=$(python3 -c 'import datetime, zoneinfo; print((datetime.datetime.now(zoneinfo.ZoneInfo("America/Sao_Paulo")) + datetime.timedelta(days=10)).date())')
RUN=$(python3 -c 'import time; print(time.time_ns())')

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'walkthrough: %s\n' "$*" >&2; exit 1; }

# call METHOD PATH [BODY] [extra curl args...]: leaves the status in $STATUS and the body in $BODY.
OUT=$(mktemp); trap 'rm -f "$OUT"' EXIT
call() {
  local method=$1 path=$2 body=${3:-}
  shift $(( $# < 3 ? $# : 3 ))
  local args=(-s -o "$OUT" -w '%{http_code}' -X "$method" "$URL$path" -H "x-api-key: $KEY")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  STATUS=$(curl "${args[@]}" "$@")
  BODY=$(cat "$OUT")
}
# field EXPR: evaluates a Python subscript on $BODY, e.g. field '["status"]'
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[2]); print(eval("v"+sys.argv[1]))' "$1" "$BODY"; }
expect() { [ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS: $BODY"; }

step "Health: liveness and readiness"
call GET /_health_check; expect 200
call GET /health/ready; expect 200; field '["status"]'

step "A configuration holds a merchant's beneficiary account (superbowleto's Configurations)"
MERCHANT="merchant-$RUN"
call POST /configurations '{"external_id":"'$MERCHANT'","issuer":"sandbox","issuer_account":"9721","issuer_agency":"3381","issuer_wallet":"26"}'
expect 201; field '["id"]'

BOLETO='{
  "queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/boletos",
  "expiration_date": "'$DUE'",
  "amount": 2000,
  "instructions": "Não receber após o vencimento.",
  "external_id": "'$MERCHANT'",
  "payer_name": "Maria Joaquina da Silva",
  "payer_document_type": "cpf",
  "payer_document_number": "111.444.777-35",
  "payer_address": {"zipcode": "04551-010", "street": "Rua Fidêncio Ramos", "street_number": "308",
                    "complementary": "9º andar", "neighborhood": "Vila Olímpia", "city": "São Paulo", "state": "SP"},
  "reference_id": "order-'$RUN'"
}'

step "Issue a boleto (registered at once by the sandbox bank), with an Idempotency-Key"
call POST /boletos "$BOLETO" -H "Idempotency-Key: order-$RUN"; expect 201
ID=$(field '["id"]')
field '["id"], v["status"], v["title_id"], v["digitable_line"]'
[ "$(field '["status"]')" = registered ] || fail "the boleto was not registered"

step "Retry the same request with the same key: the stored response, no second boleto"
call POST /boletos "$BOLETO" -H "Idempotency-Key: order-$RUN"; expect 201
[ "$(field '["id"]')" = "$ID" ] || fail "the retry made another boleto"
echo "same id: $ID"

step "Validation reports every error at once, with field paths"
call POST /boletos '{"amount": 0, "payer_document_number": "111.444.777-00", "payer_address": {"zipcode": "1"}}'
expect 400; python3 -c 'import json,sys; [print(e["field"], "-", e["message"]) for e in json.loads(sys.argv[1])["errors"]]' "$BODY"

step "Read it back, and list by reference_id (the total is in X-Total-Count)"
call GET "/boletos/$ID"; expect 200; field '["status"]'
call GET "/boletos?reference_id=order-$RUN&count=5"; expect 200; field '[0]["id"]'

step "A bank that fails first: pending_registration, then the worker registers it"
call POST /boletos "$BOLETO" -H 'X-Sandbox-Scenario: transient'; expect 201
PENDING_ID=$(field '["id"]')
field '["status"]'
for _ in $(seq 100); do
  call GET "/boletos/$PENDING_ID"; STATE=$(field '["status"]')
  [ "$STATE" = registered ] && break
  sleep 0.2
done
[ "$STATE" = registered ] || fail "the worker did not register $PENDING_ID"
echo "$STATE"

step "Record a payment: paid_amount reaching the amount moves registered → paid"
call PATCH "/boletos/$ID" '{"paid_amount": 2000, "bank_response_code": "00"}'; expect 200; field '["status"]'

step "The status history"
call GET "/boletos/$ID/events"; expect 200
python3 -c 'import json,sys; [print(e["created_at"], e["type"], e["status"]) for e in json.loads(sys.argv[1])]' "$BODY"

step "Cancel the other boleto (baixa at the sandbox bank)"
call POST "/boletos/$PENDING_ID/cancel"; expect 200; field '["status"]'

step "CNAB: a cnab configuration (Bradesco, CNAB 400); its boletos are registered by remessa files"
STORE="store-$RUN"
call POST /configurations '{"external_id":"'$STORE'","issuer":"cnab","issuer_bank":"237","issuer_account":"0019669",
  "issuer_agency":"1467","issuer_wallet":"09","beneficiary_document_number":"11.222.333/0001-81",
  "cnab":{"company_name":"Loja Exemplo Ltda","company_code":"4540691","account_dv":"7"}}'
expect 201; field '["cnab"]["layout"]'
call POST /boletos "${BOLETO/$MERCHANT/$STORE}"; expect 201
CNAB_ID=$(field '["id"]')
NOSSO=$(field '["nosso_numero"]')
field '["status"], v["nosso_numero"]'

step "CNAB: POST /remessas writes the file of every waiting boleto, then GET /remessas/:id downloads it"
call POST /remessas '{"external_id":"'$STORE'"}'; expect 201
REMESSA_ID=$(field '["id"]')
field '["sequence"], v["boleto_count"], v["sha256"]'
call GET "/remessas/$REMESSA_ID"; expect 200
printf '%s\n' "$BODY" | head -1 | cut -c1-60
call GET "/boletos/$CNAB_ID"; expect 200; field '["status"]'
call POST /remessas '{"external_id":"'$STORE'"}'; expect 204; echo "nothing waits: 204"

step "CNAB: the bank's retorno reports the payment; POST /retornos applies it, once"
RETORNO=$(python3 - "$NOSSO" <<'PY'
import base64, datetime, sys
# A Bradesco CNAB 400 retorno with one liquidação (06) of 20,00 for the boleto's nosso número (11 digits + DV).
digits, dv = sys.argv[1].split("/")[-1].split("-")
def record(fields):
    b = bytearray(b"0" * 400)
    for start, text in fields: b[start - 1:start - 1 + len(text)] = text.encode()
    return b.decode()
d = datetime.date.today().strftime("%d%m%y")
# The file names the configuration's beneficiary, or the service refuses it: the header's código da empresa
# (27-46), and each title's carteira, agência, conta and DV (21-37).
lines = [record([(1, "02RETORNO01COBRANCA       "), (27, "4540691".rjust(20, "0")), (47, "LOJA EXEMPLO".ljust(30)),
                 (77, "237BRADESCO".ljust(18)), (95, d), (101, " " * 294), (395, "000001")]),
         record([(1, "1"), (21, "0" + "009" + "01467" + "0019669" + "7"), (71, digits[-11:].rjust(11, "0") + dv),
                 (109, "06"), (111, d), (117, " " * 10),
                 (153, "%013d" % 2000), (166, "237"), (254, "%013d" % 2000), (296, d), (302, " " * 17), (395, "000002")]),
         record([(1, "9201237"), (395, "000003")])]
print(base64.b64encode(("\r\n".join(lines) + "\r\n").encode()).decode())
PY
)
call POST /retornos '{"external_id":"'$STORE'","content_base64":"'$RETORNO'"}'; expect 201
field '["applied"][0]["occurrence_kind"], v["applied"][0]["status"], len(v["unknown"])'
call GET "/boletos/$CNAB_ID"; expect 200; field '["status"], v["paid_amount"]'
call POST /retornos '{"external_id":"'$STORE'","content_base64":"'$RETORNO'"}'; expect 200; echo "the same file again: 200, nothing changed"

step "The printable boleto: GET /boletos/:id/html and /pdf"
call GET "/boletos/$ID/html"; expect 200; printf '%s\n' "$BODY" | grep -o '<title>[^<]*</title>'
curl -s "$URL/boletos/$ID/pdf" -H "x-api-key: $KEY" | head -c 8 | grep -q '%PDF-' || fail "GET /boletos/$ID/pdf is not a PDF"
echo "pdf: ok"

step "Terms: interest, fine, two discounts and a protest, validated together; the printed boleto states them"
EARLY=$(python3 -c 'import datetime, zoneinfo; print((datetime.datetime.now(zoneinfo.ZoneInfo("America/Sao_Paulo")) + datetime.timedelta(days=3)).date())')
TERMS='{"interest":{"type":"percent_per_month","value":1},"fine":{"type":"percent","value":2},
  "discounts":[{"type":"percent","value":5,"until":"'$EARLY'"},{"type":"amount","value":50,"until":"'$DUE'"}],"protest_days":5,'
call POST /boletos "${BOLETO/\{/$TERMS}"; expect 201
TERMS_ID=$(field '["id"]')
field '["interest"]["type"], v["fine"]["value"], len(v["discounts"]), v["protest_days"]'
call GET "/boletos/$TERMS_ID/html"; expect 200
printf '%s\n' "$BODY" | grep -o 'juros de [^<]*' | head -1
PAST='{"discounts":[{"type":"amount","value":50,"until":"2001-01-01"}],'
call POST /boletos "${BOLETO/\{/$PAST}"; expect 400
field '["errors"][0]["field"], v["errors"][0]["message"]'

step "A change after registration: a new due date and an abatimento, taken by the bank; the barcode follows"
LATER=$(python3 -c 'import datetime, zoneinfo; print((datetime.datetime.now(zoneinfo.ZoneInfo("America/Sao_Paulo")) + datetime.timedelta(days=20)).date())')
call GET "/boletos/$TERMS_ID"; expect 200
BEFORE=$(field '["digitable_line"]')
call PATCH "/boletos/$TERMS_ID" '{"expiration_date":"'$LATER'","abatement":500}'; expect 200
field '["expiration_date"], v["abatement"], v["pending_change"]'
AFTER=$(field '["digitable_line"]')
[ "$BEFORE" != "$AFTER" ] || fail "the digitable line did not follow the new due date"
printf 'digitable line: %s -> %s\n' "$BEFORE" "$AFTER"
call GET "/boletos/$TERMS_ID/events"; expect 200
field '[-1]["type"], v[-1]["detail"]["fields"]'
call PATCH "/boletos/$TERMS_ID" '{"expiration_date":"2001-01-01"}'; expect 400
field '["errors"][0]["field"], v["errors"][0]["message"]'

step "The payer's page: boleto_url, open without a key"
call GET "/boletos/$TERMS_ID"; expect 200
PAGE=$(field '["boleto_url"]')
echo "$PAGE"
curl -s -o /dev/null -w '%{http_code} %{content_type}\n' "$URL$PAGE"
curl -s "$URL$PAGE" | grep -q 'Copiar linha digitável' || fail "the payer's page has no copy button"

step "A carnê: three installments with one request, all or nothing; the booklet prints three slips to a page"
D2=$(python3 -c 'import datetime, zoneinfo; print((datetime.datetime.now(zoneinfo.ZoneInfo("America/Sao_Paulo")) + datetime.timedelta(days=40)).date())')
D3=$(python3 -c 'import datetime, zoneinfo; print((datetime.datetime.now(zoneinfo.ZoneInfo("America/Sao_Paulo")) + datetime.timedelta(days=70)).date())')
call POST /carnes '{"queue_url":"https://sqs.us-east-1.amazonaws.com/123456789012/boletos","external_id":"'$MERCHANT'",
  "payer_name":"Maria Joaquina da Silva","payer_document_type":"cpf","payer_document_number":"111.444.777-35",
  "installments":[{"expiration_date":"'$DUE'","amount":5000},{"expiration_date":"'$D2'","amount":5000},
                  {"expiration_date":"'$D3'","amount":5000}]}' -H "Idempotency-Key: carne-$RUN"; expect 201
CARNE_ID=$(field '["id"]')
field '["installments"], v["total_amount"], [b["installment"] for b in v["boletos"]]'
curl -s "$URL/carnes/$CARNE_ID/pdf" -H "x-api-key: $KEY" | head -c 8 | grep -q '%PDF-' || fail "GET /carnes/$CARNE_ID/pdf is not a PDF"
echo "booklet: ok"

step "Metrics (Prometheus text)"
curl -s "$URL/metrics" | grep -E '^boleto_(boletos_created_total|status_changes_total)' | head -5

printf '\nwalkthrough: all steps passed\n'
