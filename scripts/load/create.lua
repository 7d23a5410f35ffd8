-- wrk: POST /boletos with a fixed valid body (the service allocates a new title id per request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = os.getenv("BOLETO_API_KEY")
wrk.body = os.getenv("BOLETO_BODY")

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  for status, count in pairs(statuses) do io.write(string.format("status %d: %d\n", status, count)) end
end
