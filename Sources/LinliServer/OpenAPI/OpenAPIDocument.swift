/// The OpenAPI document served at `/openapi.json`. Its source of truth is `docs/openapi.json`;
/// `scripts/embed-openapi` copies it here, and a test checks both that the copy is current and
/// that every `/api/` route is documented and every documented path is routed.
enum OpenAPIDocument {
    static var json: [UInt8] { Array(text.utf8) }
}
