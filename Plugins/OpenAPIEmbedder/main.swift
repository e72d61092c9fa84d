import Foundation

// The build tool of the EmbedOpenAPI plugin: reads the OpenAPI document (argument 1) and writes a
// Swift file (argument 2) that holds it, byte for byte, as `OpenAPIDocument.text`. It refuses a
// document that is not UTF-8 JSON, so a broken edit of docs/openapi.json stops the build instead of
// reaching the server.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: OpenAPIEmbedder <openapi.json> <output.swift>") }
let (input, output) = (arguments[1], arguments[2])

let data: Data
do { data = try Data(contentsOf: URL(fileURLWithPath: input)) } catch { fail("\(input): \(error.localizedDescription)") }
guard let text = String(data: data, encoding: .utf8) else { fail("\(input) is not UTF-8") }
do { _ = try JSONSerialization.jsonObject(with: data) } catch { fail("\(input) is not valid JSON: \(error)") }
// A multiline string literal turns CR LF into LF, and the server would then serve other bytes.
guard !text.contains("\r") else { fail("\(input) has carriage returns; save it with LF line endings") }

// Enough `#`s that nothing in the document ends the raw string or starts an escape in it.
var hashes = "#"
while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }

// The literal's value stops before the line break that precedes its closing delimiter, so the
// text comes back exactly, whether or not the file ends with a newline.
let swift = """
    // Generated at build time from \(URL(fileURLWithPath: input).lastPathComponent) by the EmbedOpenAPI plugin. Do not edit.
    extension OpenAPIDocument {
        static let text = \(hashes)\"\"\"
    \(text)
    \"\"\"\(hashes)
    }

    """
do {
    try Data(swift.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    fail("\(output): \(error.localizedDescription)")
}
