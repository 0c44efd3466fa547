// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Gongkai",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "GongkaiCore", targets: ["GongkaiCore"]),
        .library(name: "GongkaiSession", targets: ["GongkaiSession"]),
        .library(name: "GongkaiNotebook", targets: ["GongkaiNotebook"]),
        .executable(name: "gongkai", targets: ["gongkai"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(path: "Plugins/GongkaiPluginAPI"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        .target(
            name: "GongkaiCore",
            dependencies: [
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI"),
                "CSHA256",
                "CSQLiteSetup",
            ]
        ),
        .target(name: "CSHA256"),
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "NarrativeKit",
            dependencies: [.product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")],
            path: "Plugins/NarrativeKit"
        ),
        .target(
            name: "MediaOutput",
            dependencies: ["NarrativeKit", .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")],
            path: "Plugins/MediaOutput"
        ),
        .target(
            name: "DisclosureVolume",
            dependencies: ["NarrativeKit", .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")],
            path: "Plugins/DisclosureVolume"
        ),
        .target(
            name: "Comparison",
            dependencies: ["NarrativeKit", .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")],
            path: "Plugins/Comparison"
        ),
        .target(
            name: "ApplicationOutcomes",
            dependencies: [.product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")],
            path: "Plugins/ApplicationOutcomes"
        ),
        .target(
            name: "GongkaiSession",
            dependencies: ["GongkaiCore", "ApplicationOutcomes", "MediaOutput", "DisclosureVolume", "Comparison", .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")]
        ),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(
            name: "GongkaiREPL",
            dependencies: ["GongkaiCore", "GongkaiSession", "CEditLine", .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")]
        ),
        .target(
            name: "GongkaiNotebook",
            dependencies: ["GongkaiCore", "GongkaiSession", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "gongkai",
            dependencies: [
                "GongkaiCore",
                "GongkaiSession",
                "GongkaiREPL",
                "GongkaiNotebook",
                "Comparison",
                .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // mimalloc (Debian's libmimalloc-dev) replaces glibc's malloc in the command: an
            // ingest allocates on parser threads and frees on the writer's, and a 1,000-file
            // ingest ran 4.6% fewer instructions with it (Benchmarks/README.md).
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "PluginTests",
            dependencies: [
                "GongkaiCore", "ApplicationOutcomes", "GongkaiSession", "MediaOutput", "DisclosureVolume", "Comparison",
                .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "NotebookTests",
            dependencies: ["GongkaiCore", "GongkaiNotebook", "GongkaiSession", "gongkai"]
        ),
        .testTarget(
            name: "REPLTests",
            dependencies: ["GongkaiCore", "gongkai", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "GongkaiCoreTests",
            dependencies: ["GongkaiCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")]
        ),
    ]
)
