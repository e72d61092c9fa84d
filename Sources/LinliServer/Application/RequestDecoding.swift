import Foundation
import Hummingbird
import LinliCore

extension Request {
    /// Decodes a JSON body; a malformed body or a wrong field answers 400 naming the field.
    func decodeJSON<T: Decodable>(as type: T.Type, context: LinliRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxJSONSize)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw AppError.from(error)
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` form. Text that is not UTF-8 once its
    /// escapes are decoded is refused (400), as the JSON API refuses it, rather than stored with
    /// replacement characters in place of what the person typed.
    func decodeForm<T: Decodable>(as type: T.Type, context: LinliRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxFormSize)
        guard FormText.decodesToUTF8(buffer.readableBytesView) else { throw AppError(.badRequest, "error.body.invalid_text") }
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
        } catch let error as DecodingError {
            throw AppError.from(error)
        } catch {
            throw AppError(.badRequest, "error.bad_request")
        }
    }
}

/// The bytes of a URL-encoded form as the decoder will see them.
public enum FormText {
    /// Whether the form, with `+` and `%XX` decoded, is valid UTF-8. The separators `&` and `=`
    /// are ASCII, so the whole form is valid exactly when every name and value is.
    public static func decodesToUTF8(_ encoded: some Collection<UInt8>) -> Bool {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            index = encoded.index(after: index)
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                continue
            }
            guard index != encoded.endIndex, let high = hexValue(encoded[index]) else { decoded.append(byte); continue }
            let next = encoded.index(after: index)
            guard next != encoded.endIndex, let low = hexValue(encoded[next]) else { decoded.append(byte); continue }
            decoded.append(high << 4 | low)
            index = encoded.index(after: next)
        }
        return String(validating: decoded, as: UTF8.self) != nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

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

extension Parameters {
    /// A path id; anything but a positive integer is a 404 (there is no such record).
    func id<Entity>(_ name: String = "id") throws -> ID<Entity> {
        guard let text = self.get(name), let value = Int64(text), value > 0 else { throw AppError.notFound }
        return ID(rawValue: value)
    }
}

extension String {
    /// NUL and other control characters have no place in a search or a login, and PostgreSQL
    /// refuses NUL outright: such input is a 400, not a database error.
    var containsControlCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Without leading and trailing white space and line breaks: what Foundation's
    /// `.whitespacesAndNewlines` trims (Unicode's White_Space and the zero-width space), which on
    /// Linux goes through NSString and was a fiftieth of a filing's CPU.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace || scalar == "\u{200B}" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}
