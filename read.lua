wrk.method = "GET"; wrk.headers["x-api-key"] = os.getenv("BOLETO_API_KEY"); wrk.path = os.getenv("BOLETO_PATH")
