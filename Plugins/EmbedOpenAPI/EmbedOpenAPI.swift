import Foundation
import PackagePlugin

/// Turns `docs/openapi.json` into `OpenAPIDocument.text` while LinliServer builds, so the one
/// document under docs/ is what the server serves and the binary needs no resource bundle beside
/// it. The JSON is the command's input file: editing it reruns the command on the next build.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let document = context.package.directoryURL.appending(path: "docs/openapi.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+Text.swift")
        return [
            .buildCommand(
                displayName: "Embedding docs/openapi.json in \(target.name)",
                executable: try context.tool(named: "OpenAPIEmbedder").url,
                arguments: [document.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: [document],
                outputFiles: [output]
            ),
        ]
    }
}
