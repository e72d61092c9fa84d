import Foundation
import PackagePlugin

/// Turns every file under `Sources/LinliServer/Views/Assets` (page templates, the stylesheet) into
/// `PageAssets.files` while LinliServer builds, so the binary serves its pages without a resource
/// bundle beside it. Every file is an input: editing one, adding one or removing one reruns the
/// command on the next build.
@main
struct EmbedPageAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appending(path: "Sources/LinliServer/Views/Assets")
        let files = try assetFiles(under: root)
        let output = context.pluginWorkDirectoryURL.appending(path: "PageAssets+Files.swift")
        return [
            .buildCommand(
                displayName: "Embedding page templates and stylesheet in \(target.name)",
                executable: try context.tool(named: "PageAssetEmbedder").url,
                arguments: [output.path(percentEncoded: false), root.path(percentEncoded: false)] + files.map { $0.path(percentEncoded: false) },
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }

    private func assetFiles(under root: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile ?? false) {
            guard !url.lastPathComponent.hasPrefix(".") else { continue }
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
