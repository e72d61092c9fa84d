/// The OpenAPI document served at `/openapi.json`. Its one source is `docs/openapi.json`: the
/// EmbedOpenAPI build-tool plugin (Plugins/EmbedOpenAPI) compiles it into `text` on every build
/// that follows an edit, so the binary carries it without a resource bundle. A test checks that the
/// served document is docs/openapi.json byte for byte, and that every `/api/` route is documented
/// and every documented path is routed.
enum OpenAPIDocument {
    static var json: [UInt8] { Array(text.utf8) }
}
