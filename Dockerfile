# The reference service (embedded SQLite default) as a container image.
#   docker build -t boletokit/reference-service .
#   docker run -p 3000:3000 -v boleto-data:/var/lib/boleto boletokit/reference-service
# scripts/check-container.sh runs this file's build and staging steps on the host, which is how it is checked on
# machines without a Docker engine.

FROM swift:6.3-bookworm AS build
# libxml2 (the SOAP banks), OpenSSL (PKCS#12 company certificates), libharu and libqrencode (the PDF boleto) are
# linked from the system.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libxml2-dev libssl-dev pkg-config libhpdf-dev libqrencode-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole package: the manifest names every target, tests and examples included.
COPY . .
RUN swift build -c release --product boleto \
 && mkdir -p /staging \
 && cp "$(swift build -c release --show-bin-path)/boleto" /staging/ \
 && cp -R "$(swift build -c release --show-bin-path)"/*.resources /staging/

FROM swift:6.3-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates tzdata libxml2 libssl3 libhpdf-2.3.0 libqrencode4 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/boleto boleto
COPY --from=build /staging/ /opt/boleto/
USER boleto
ENV BOLETO_HOST=0.0.0.0 \
    BOLETO_PORT=3000 \
    BOLETO_DATA_DIR=/var/lib/boleto
VOLUME /var/lib/boleto
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD curl -fsS http://127.0.0.1:3000/health/ready || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/boleto/boleto"]
CMD ["serve"]
