import Foundation

extension AppError {
    static func from(_ error: DecodingError) -> AppError {
        switch error {
        case .keyNotFound(let key, _):
            return .required(key.stringValue)
        case .valueNotFound(_, let context):
            return .required(context.codingPath.last?.stringValue ?? "body")
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            if let field = context.codingPath.last?.stringValue { return .invalid(field) }
            return AppError(.badRequest, "error.body.invalid_json")
        @unknown default:
            return AppError(.badRequest, "error.body.invalid_json")
        }
    }
}
