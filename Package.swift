// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "BoletoKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BoletoKit", targets: ["BoletoKit"]),
        .library(name: "BoletoRender", targets: ["BoletoRender"]),
        .library(name: "Providers", targets: ["Providers"]),
        .library(name: "ReferenceService", targets: ["ReferenceService"]),
        .executable(name: "boleto", targets: ["boleto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // CMS (PKCS#7) signing for Bradesco is SPI in swift-certificates, so the version is pinned exactly.
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // The boleto's HTML template (the issue names swift-mustache).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure domain: Foundation only, no I/O.
        .target(name: "BoletoKit"),
        // The printable boleto: HTML (mustache, inline SVG) and PDF (libharu), the QR from libqrencode. The C
        // libraries stay out of BoletoKit, whose core is Foundation only.
        .systemLibrary(name: "CHaru", providers: [.apt(["libhpdf-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "BoletoRender",
            dependencies: ["BoletoKit", "CHaru", "CQRencode", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // libxml2, the XML parser and writer of the SOAP banks (Debian: libxml2-dev).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // PKCS#12 (.pfx) reading through the system OpenSSL, legacy encryptions included (Debian: libssl-dev).
        .target(name: "CPKCS12", linkerSettings: [.linkedLibrary("crypto")]),
        // Bank protocols: the adapter protocols, the sandbox bank, Bradesco and Caixa.
        .target(
            name: "Providers",
            dependencies: [
                "BoletoKit",
                "BoletoJSON",
                "CLibXML2",
                "CPKCS12",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Fake Bradesco and Caixa servers, as strict as the banks' manuals, for tests and examples.
        .target(
            name: "FakeBanks",
            dependencies: [
                "BoletoKit",
                "BoletoJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/FakeBanks"
        ),
        // The reference service: HTTP API, outbox worker, SQLite store.
        .target(
            name: "ReferenceService",
            dependencies: [
                "BoletoRender",
                "Providers",
                "BoletoJSON",
                "SQS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        // A small AWS SQS client: SigV4 and the JSON 1.0 protocol.
        .target(
            name: "SQS",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // An ordered JSON value: stable output for the CLI and the service, strict input reading.
        .target(name: "BoletoJSON"),
        // The `boleto` command line, as a library so tests can drive it in-process.
        .target(
            name: "BoletoCLI",
            dependencies: [
                "BoletoKit",
                "BoletoJSON",
                "Providers",
                "ReferenceService",
                "SQS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "boleto", dependencies: ["BoletoCLI"]),
        // Runnable examples (`swift run offline-example`).
        .executableTarget(name: "offline-example", dependencies: ["BoletoKit"], path: "Examples/OfflineExample"),
        // Test targets are layered like the code: the domain's unit tests link BoletoKit alone (and a property-based
        // testing helper); rendering and the command line have targets of their own.
        .testTarget(
            name: "BoletoKitTests",
            dependencies: [
                "BoletoKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "BoletoRenderTests", dependencies: ["BoletoKit", "BoletoRender"]),
        .testTarget(name: "BoletoCLITests", dependencies: ["BoletoCLI", "BoletoKit", "BoletoJSON"]),
        .executableTarget(name: "bradesco-example", dependencies: ["Providers", "FakeBanks", "BoletoKit"],
                          path: "Examples/BradescoExample"),
        .executableTarget(name: "bb-example", dependencies: ["Providers", "FakeBanks", "BoletoKit"],
                          path: "Examples/BancoDoBrasilExample"),
        .executableTarget(name: "render-example", dependencies: ["BoletoKit", "BoletoRender"], path: "Examples/RenderExample"),
        .testTarget(
            name: "ProvidersTests",
            dependencies: [
                "Providers", "BoletoKit", "FakeBanks",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ReferenceServiceTests",
            dependencies: [
                "ReferenceService",
                "BoletoCLI",
                "FakeBanks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                "BoletoJSON",
                "BoletoKit",
                "SQS",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
