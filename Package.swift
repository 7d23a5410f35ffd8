// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "BoletoKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BoletoKit", targets: ["BoletoKit"]),
        .library(name: "Providers", targets: ["Providers"]),
        .library(name: "ReferenceService", targets: ["ReferenceService"]),
        .executable(name: "boleto", targets: ["boleto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Pure domain: Foundation only, no I/O.
        .target(name: "BoletoKit"),
        // Bank protocols; thin until the providers issue.
        .target(name: "Providers", dependencies: ["BoletoKit"]),
        // HTTP API and worker; thin until the reference-service issue.
        .target(name: "ReferenceService", dependencies: ["Providers"]),
        // The `boleto` command line, as a library so tests can drive it in-process.
        .target(
            name: "BoletoCLI",
            dependencies: [
                "BoletoKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "boleto", dependencies: ["BoletoCLI"]),
        // Runnable examples (`swift run offline-example`).
        .executableTarget(name: "offline-example", dependencies: ["BoletoKit"], path: "Examples/OfflineExample"),
        .testTarget(
            name: "BoletoKitTests",
            dependencies: [
                "BoletoKit",
                "BoletoCLI",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
