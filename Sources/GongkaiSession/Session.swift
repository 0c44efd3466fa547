import ApplicationOutcomes
import Comparison
import DisclosureVolume
import MediaOutput
import Foundation
import GongkaiCore
import GongkaiPluginAPI

/// One analyst's working state, shared by every front end (CLI, REPL, notebooks): the
/// workspace, the plugins registered with it, and what went wrong loading plugins.
public final class Session: @unchecked Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// Built-in and loaded plugins.
    public var registry: PluginRegistry { workspace.registry }
    /// Plugins that could not be loaded, with the reason (shown once to the user).
    public let pluginErrors: [String]
    /// The query engine's view of the workspace (columns cached between queries).
    public let catalog: WorkspaceCatalog

    /// The plugins that ship with Gongkai.
    public static var builtInPlugins: [any AnalysisPlugin] {
        [DisclosureVolumePlugin(), ApplicationOutcomesPlugin(), MediaOutputPlugin(), ComparisonPlugin()]
    }

    /// Opens a session on the workspace at `path`, registering the built-in plugins, the
    /// libraries given with `--plugin`, and those in a `plugins/` folder beside the workspace.
    public init(workspace path: String, pluginPaths: [String] = []) throws {
        let registry = PluginRegistry()
        var errors: [String] = []
        for p in Self.builtInPlugins {
            try registry.register(p)
        }
        let folder = ((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent) + "/plugins"
        for lib in pluginPaths + PluginLoader.libraries(in: folder) {
            do {
                try registry.register(try PluginLoader.load(path: lib), source: lib)
            } catch {
                errors.append("\(error)")
            }
        }
        pluginErrors = errors
        if let conversion = Workspace.pendingConversion(at: path) {
            FileHandle.standardError.write(Data("gongkai: \(path): \(conversion)…\n".utf8))
        }
        workspace = try Workspace(path: path, registry: registry)
        catalog = WorkspaceCatalog(workspace)
    }
}
