// swift-tools-version: 6.1
import PackageDescription

/// Claim families: one library target (and one test target) each, so a family builds and is tested on its own.
let families = [
    "PermutationSGD",
    "NewtonAttention",
    "ThresholdMemorization",
    "AdversarialMargins",
    "ContrastiveMinibatch",
    "InfiniteWidth",
    "LotterySubsetSum",
]

/// The family targets (and the benchmark code) are compiled with optimisation even in debug builds: `swift test` (a
/// debug build) then runs the quick-scale sweeps at release speed. Bounds checks stay on (-O, not -Ounchecked).
/// Only targets that are in no product get this flag: SwiftPM refuses a versioned dependency whose product targets
/// carry unsafe flags, so ClaimCore, ClaimCheckCLI (and ClaimCheckTesting) build with the configuration's defaults.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "claimcheck",
    products: [
        .executable(name: "claimcheck", targets: ["claimcheck"]),
        .executable(name: "claimcheck-bench", targets: ["claimcheck-bench"]),
        // For packages of your own claims (docs/examples/): the framework, and the CLI over a claims list you pass.
        .library(name: "ClaimCore", targets: ["ClaimCore"]),
        .library(name: "ClaimCheckCLI", targets: ["ClaimCheckCLI"]),
        .library(name: "ClaimCheckTesting", targets: ["ClaimCheckTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CLinearAlgebra", path: "Sources/CLinearAlgebra"),
        .target(
            name: "ClaimCore",
            dependencies: ["CLinearAlgebra", .product(name: "Yams", package: "Yams"), .product(name: "BigInt", package: "BigInt")]
        ),
    ]
        + families.map { .target(name: $0, dependencies: ["ClaimCore", .product(name: "BigInt", package: "BigInt")], swiftSettings: optimized) }
        + [
            .target(name: "ClaimRegistry", dependencies: ["ClaimCore"] + families.map { .target(name: $0) }),
            .target(
                name: "ClaimCheckCLI",
                dependencies: ["ClaimCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
            ),
            .executableTarget(name: "claimcheck", dependencies: ["ClaimCheckCLI", "ClaimRegistry"]),
            // XCTest assertions for claims (XCTAssertClaimHolds, XCTAssertControlViolated), for this package and others.
            .target(name: "ClaimCheckTesting", dependencies: ["ClaimCore"]),
            .testTarget(name: "ClaimCoreTests", dependencies: ["ClaimCore", "CLinearAlgebra"]),
            .testTarget(name: "CLITests", dependencies: ["ClaimCheckCLI", "ClaimRegistry", "claimcheck"], exclude: ["HostileInputs"]),
            .testTarget(name: "RegistryTests", dependencies: ["ClaimCore", "ClaimRegistry"]),
            // One XCTest method per claim and per negative control (generated from the registry; coverage-checked).
            .testTarget(name: "ClaimXCTests", dependencies: ["ClaimCheckTesting", "ClaimCore", "ClaimRegistry"]),
        ]
        + families.map { .testTarget(name: "\($0)Tests", dependencies: ["ClaimCore", .target(name: $0)]) }
        // Benchmarks (issue 9): plain C references at -O2, the workloads (Swift as the claims call it, C, numpy),
        // the `claimcheck-bench` executable, and Swift-vs-C equivalence tests (no timing in tests).
        + [
            .target(
                name: "CReference",
                dependencies: ["CLinearAlgebra"],
                cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("gsl"), .linkedLibrary("openblas")]
            ),
            .target(name: "BenchmarkSuite", dependencies: ["ClaimCore", "CReference"] + families.map { .target(name: $0) }, swiftSettings: optimized),
            .executableTarget(name: "claimcheck-bench", dependencies: ["BenchmarkSuite", "ClaimCore"], swiftSettings: optimized),
            .testTarget(name: "BenchmarkTests", dependencies: ["BenchmarkSuite", "ClaimCore", "CReference"] + families.map { .target(name: $0) }),
        ]
)
