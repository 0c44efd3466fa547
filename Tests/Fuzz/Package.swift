// swift-tools-version: 6.0
// The coverage-guided fuzzers of Gongkai (libFuzzer). Not part of the root package's build:
// `make fuzz` builds this package with `-sanitize=fuzzer` and runs each target in turn.
import PackageDescription

let package = Package(
    name: "GongkaiFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Gongkai", path: "../.."),
    ],
    targets: [
        .target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver"),
        .executableTarget(
            name: "gongkai-fuzz",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "GongkaiCore", package: "Gongkai"),
                .product(name: "GongkaiSession", package: "Gongkai"),
                .product(name: "GongkaiNotebook", package: "Gongkai"),
            ],
            path: "Sources/GongkaiFuzz"
        ),
    ]
)
