import Foundation
import Hummingbird

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
