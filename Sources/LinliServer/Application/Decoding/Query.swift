import Foundation
import Hummingbird
import LinliCore

/// Reads typed query parameters with 400s that name the parameter.
struct Query {
    let request: Request

    func string(_ name: String, maxLength: Int = 100) throws -> String? {
        guard let raw = request.uri.queryParameters[name[...]] else { return nil }
        let value = String(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return nil }
        if value.count > maxLength { throw AppError.tooLong(name, max: maxLength) }
        if value.containsControlCharacters { throw AppError.invalid(name) }
        return value
    }

    func int(_ name: String, range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = try string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else { throw AppError.invalid(name) }
        return value
    }

    /// A place id parameter such as `?place=12`.
    func placeID(_ name: String = "place") throws -> PlaceID? {
        try string(name).map { text in
            guard let id = Int64(text), id > 0 else { throw AppError.invalid(name) }
            return PlaceID(id)
        }
    }

    func bool(_ name: String) throws -> Bool {
        guard let text = try string(name) else { return false }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw AppError.invalid(name)
        }
    }
}
