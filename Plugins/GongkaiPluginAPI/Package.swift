// swift-tools-version: 6.0
// The plugin contract of Gongkai, in a package of its own so that it builds as ONE dynamic
// library that the host and every runtime-loaded plugin link: type metadata (and so protocol
// casts) is then shared across `dlopen`. Keep this surface small and stable.
import PackageDescription

let package = Package(
    name: "GongkaiPluginAPI",
    products: [
        .library(name: "GongkaiPluginAPI", type: .dynamic, targets: ["GongkaiPluginAPI"]),
    ],
    targets: [
        .target(name: "GongkaiPluginAPI"),
    ]
)
