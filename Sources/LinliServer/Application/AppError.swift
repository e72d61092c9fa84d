import HTTPTypes
import Hummingbird
import LinliCore

/// An error a person can act on: a status, a catalogue key, the field it is about. The error
/// middleware renders it in the caller's language, as JSON for the API and HTML for pages.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var key: String
    public var field: String?
    public var arguments: [String: String]
    /// Arguments that are spans of time in seconds, written for people in the caller's language
    /// ("15 分钟", "2 minutes").
    public var durations: [String: Int]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ key: String, field: String? = nil, arguments: [String: String] = [:], durations: [String: Int] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.key = key
        self.field = field
        self.arguments = arguments
        self.durations = durations
        self.headers = headers
    }

    static let notFound = AppError(.notFound, "error.not_found")
    static let forbidden = AppError(.forbidden, "error.forbidden")
    static let unauthenticated = AppError(.unauthorized, "error.unauthenticated")

    static func required(_ field: String) -> AppError { AppError(.badRequest, "error.field.required", field: field) }
    static func invalid(_ field: String) -> AppError { AppError(.badRequest, "error.field.invalid", field: field) }
    static func tooLong(_ field: String, max: Int) -> AppError { AppError(.badRequest, "error.field.too_long", field: field, arguments: ["max": "\(max)"]) }

    func message(in language: Language) -> String {
        var arguments = self.arguments
        for (name, seconds) in durations { arguments[name] = Catalogue.duration(seconds: seconds, language) }
        if let field {
            arguments["field"] = Catalogue.all["field.\(field)"]?.text(in: language) ?? field
        }
        return Catalogue.text(key, language, arguments)
    }
}

/// The JSON shape of every API error: `{"error": {"code", "message", "field"}}`.
struct ErrorBody: ResponseCodable {
    struct Detail: Codable { var code: String; var message: String; var field: String? }
    var error: Detail
}
