import GongkaiPluginAPI
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Loads third-party plugins built as shared libraries.
///
/// A plugin library links the same `GongkaiPluginAPI` dynamic library as the host and
/// exports two C entry points: `gongkai_plugin_api_version` (checked first, so a library
/// built for another contract version is refused before any of its Swift types are touched)
/// and `gongkai_plugin_create` (returns a retained ``PluginBox``).
public enum PluginLoader {
    /// Loads one library.
    public static func load(path: String) throws -> any AnalysisPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw PluginError("plugin \(path): no such file") }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw PluginError("plugin \(path): cannot load: \(reason)")
        }
        guard let versionSymbol = dlsym(handle, "gongkai_plugin_api_version") else {
            throw PluginError("plugin \(path): not a Gongkai plugin (no gongkai_plugin_api_version entry point)")
        }
        typealias VersionFn = @convention(c) () -> Int32
        let version = Int(unsafeBitCast(versionSymbol, to: VersionFn.self)())
        guard version == gongkaiPluginAPIVersion else {
            throw PluginError("plugin \(path) was built for plugin API version \(version); this Gongkai provides version \(gongkaiPluginAPIVersion): rebuild it against this version")
        }
        guard let createSymbol = dlsym(handle, "gongkai_plugin_create") else {
            throw PluginError("plugin \(path): not a Gongkai plugin (no gongkai_plugin_create entry point)")
        }
        typealias CreateFn = @convention(c) () -> UnsafeMutableRawPointer?
        guard let raw = unsafeBitCast(createSymbol, to: CreateFn.self)() else {
            throw PluginError("plugin \(path): gongkai_plugin_create returned nothing")
        }
        let box = Unmanaged<PluginBox>.fromOpaque(raw).takeRetainedValue()
        guard box.compiledAPIVersion == gongkaiPluginAPIVersion else {
            throw PluginError("plugin \(path): API version mismatch (\(box.compiledAPIVersion))")
        }
        return box.plugin
    }

    /// The shared libraries in a `plugins/` folder (sorted; missing folder → none).
    public static func libraries(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasSuffix(".so") || $0.hasSuffix(".dylib") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }
}
