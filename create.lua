wrk.method = "POST"; wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = os.getenv("BOLETO_API_KEY"); wrk.body = os.getenv("BOLETO_BODY")
