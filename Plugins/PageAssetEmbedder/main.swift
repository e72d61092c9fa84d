import Foundation

// The build tool of the EmbedPageAssets plugin: `PageAssetEmbedder <output.swift> <root> <file>...`
// writes a Swift file holding every file, byte for byte, as `PageAssets.files[<path under root>]`.
// It refuses a file that is not UTF-8 or has carriage returns, so a broken edit stops the build
// instead of reaching the server.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: PageAssetEmbedder <output.swift> <root> <file>...") }
let output = arguments[1]
let root = URL(fileURLWithPath: arguments[2]).standardizedFileURL.path + "/"

var entries: [String] = []
for path in arguments.dropFirst(3) {
    let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
    guard standardized.hasPrefix(root) else { fail("\(path) is not under \(root)") }
    let name = String(standardized.dropFirst(root.count))
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { fail("\(path): \(error.localizedDescription)") }
    guard let text = String(data: data, encoding: .utf8) else { fail("\(path) is not UTF-8") }
    // A multiline string literal turns CR LF into LF, and the server would then serve other bytes.
    guard !text.contains("\r") else { fail("\(path) has carriage returns; save it with LF line endings") }
    // Enough `#`s that nothing in the file ends the raw string or starts an escape in it.
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    // The literal's value stops before the line break that precedes its closing delimiter, so the
    // text comes back exactly, whether or not the file ends with a newline.
    entries.append("""
            \(hashes)"\(name)"\(hashes): \(hashes)\"\"\"
        \(text)
        \"\"\"\(hashes),
        """)
}

let swift = """
    // Generated at build time from Sources/LinliServer/Views/Assets by the EmbedPageAssets plugin. Do not edit.
    extension PageAssets {
        static let files: [String: String] = [
    \(entries.isEmpty ? ":" : entries.joined(separator: "\n"))
        ]
    }

    """
do {
    try Data(swift.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    fail("\(output): \(error.localizedDescription)")
}
