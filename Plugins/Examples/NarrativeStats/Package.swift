// swift-tools-version: 6.0
// An example third-party Gongkai plugin, built as a shared library and loaded at runtime:
//   swift build -c release --package-path Plugins/Examples/NarrativeStats
//   gongkai --plugin Plugins/Examples/NarrativeStats/.build/release/libNarrativeStats.so plugins
import PackageDescription

let package = Package(
    name: "NarrativeStats",
    products: [
        .library(name: "NarrativeStats", type: .dynamic, targets: ["NarrativeStats"]),
    ],
    dependencies: [
        .package(path: "../../GongkaiPluginAPI"),
    ],
    targets: [
        .target(name: "NarrativeStats", dependencies: [.product(name: "GongkaiPluginAPI", package: "GongkaiPluginAPI")]),
    ]
)
