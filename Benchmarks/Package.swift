// swift-tools-version: 6.1
// BoletoKit benchmarks (package-benchmark). A separate package so the library itself does not depend on the
// benchmark tooling. Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark
// or ../scripts/bench.sh, which also runs the C reference in ../../shared/bench/c_ref when present.
import PackageDescription

let package = Package(
    name: "BoletoKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "BoletoKit", path: ".."),
        // Only the MallocInterposer trait: the default trait set also enables RuntimeInterposer, whose
        // dependency (swift-runtime-interposer) is not available here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Deterministic inputs shared by the benchmarks and the profiling driver.
        .target(
            name: "BoletoBenchInputs",
            dependencies: [.product(name: "BoletoKit", package: "BoletoKit"), .product(name: "Providers", package: "BoletoKit")],
            path: "Shared/BoletoBenchInputs"
        ),
        .executableTarget(
            name: "BoletoBenchmarks",
            dependencies: [
                "BoletoBenchInputs",
                .product(name: "BoletoKit", package: "BoletoKit"),
                .product(name: "Providers", package: "BoletoKit"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/BoletoBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // A plain release driver for callgrind/perf (no benchmark harness in the profile):
        //   swift build -c release --product BoletoProfile && valgrind --tool=callgrind .build/release/BoletoProfile generate 237 20000
        .executableTarget(
            name: "BoletoProfile",
            dependencies: ["BoletoBenchInputs", .product(name: "BoletoKit", package: "BoletoKit"),
                           .product(name: "Providers", package: "BoletoKit")],
            path: "Profile/BoletoProfile"
        ),
    ],
    swiftLanguageModes: [.v6]
)
