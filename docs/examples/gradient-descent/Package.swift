// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "GradientDescentBounds",
    dependencies: [
        // In your own package: .package(url: "https://github.com/<owner>/claimcheck", from: "<version>")
        .package(name: "claimcheck", path: "../../.."),
    ],
    targets: [
        .target(name: "GradientDescent", dependencies: [.product(name: "ClaimCore", package: "claimcheck")]),
        .executableTarget(
            name: "gd-claimcheck",
            dependencies: ["GradientDescent", .product(name: "ClaimCheckCLI", package: "claimcheck")]
        ),
        .testTarget(
            name: "GradientDescentTests",
            dependencies: ["GradientDescent", .product(name: "ClaimCore", package: "claimcheck"),
                           .product(name: "ClaimCheckTesting", package: "claimcheck")]
        ),
    ]
)
