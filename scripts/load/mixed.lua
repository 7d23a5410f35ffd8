-- wrk: the soak's mixed traffic (scripts/soak.sh). Per connection, a request every BOLETO_SOAK_DELAY_MS at most:
-- 30 % creates (BOLETO_BODY, its REF replaced by one of 1000 reference ids), 40 % reads of a boleto this thread
-- created, 20 % lists filtered by one reference id, 10 % PATCHes of a bank_response_code. The summary line counts
-- 5xx answers and any other answer that is not 2xx, across threads.
local key = os.getenv("BOLETO_API_KEY")
local template = os.getenv("BOLETO_BODY")
local pause = tonumber(os.getenv("BOLETO_SOAK_DELAY_MS") or "40")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  ids = {}
  oldest = 1
  errors_5xx = 0
  other = 0
  json = { ["Content-Type"] = "application/json", ["x-api-key"] = key }
  plain = { ["x-api-key"] = key }
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local slot = counter % 10
  if slot < 3 or #ids == 0 then
    local body = template:gsub("REF", "soak-" .. math.random(0, 999))
    return wrk.format("POST", "/boletos", json, body)
  elseif slot < 7 then
    return wrk.format("GET", "/boletos/" .. ids[math.random(#ids)], plain)
  elseif slot < 9 then
    return wrk.format("GET", "/boletos?count=10&reference_id=soak-" .. math.random(0, 999), plain)
  end
  return wrk.format("PATCH", "/boletos/" .. ids[math.random(#ids)], json, '{"bank_response_code":"00"}')
end

function response(status, headers, body)
  if status >= 500 then
    errors_5xx = errors_5xx + 1
  elseif status >= 300 then
    other = other + 1
  end
  if status == 201 then
    local id = body:match('"id":"(bol_%w+)"')
    if id then
      if #ids < 2000 then
        table.insert(ids, id)
      else
        ids[oldest] = id
        oldest = oldest % 2000 + 1
      end
    end
  end
end

function done(summary, latency, requests)
  local e5, o = 0, 0
  for _, thread in ipairs(threads) do
    e5 = e5 + thread:get("errors_5xx")
    o = o + thread:get("other")
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("SOAK requests=%d p50_ms=%.2f p99_ms=%.2f errors_5xx=%d other=%d socket_errors=%d\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000, e5, o, socket))
end
