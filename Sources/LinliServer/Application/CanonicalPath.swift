import Foundation
import Hummingbird

/// Routes every request by the canonical spelling of its path, so that `//api/v1/me`,
/// `/./api/v1/me`, `/API/v1/me` and `/%61pi/v1/me` reach the same handler, with the same checks,
/// as `/api/v1/me`. Without it the router (which skips empty segments) and the middlewares (which
/// read the path as sent) could disagree about which door a request came through.
struct CanonicalPathResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let canonical = CanonicalPath.of(path)
        guard canonical != path else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.path = canonical + (request.uri.query.map { "?" + $0 } ?? "")
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }
}

public enum CanonicalPath {
    /// Percent-escapes decoded (an escaped `/` splits a segment too), empty and `.` segments
    /// dropped, `..` resolved, ASCII letters in lower case: every route Linli has is spelled
    /// that way. A segment whose escapes are not valid UTF-8 is kept as sent and matches nothing.
    public static func of(_ path: String) -> String {
        if isCanonical(path) { return path }
        var segments: [Substring] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            let decoded = raw.contains("%") ? (String(raw).removingPercentEncoding.map { Substring($0) } ?? raw) : raw
            for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
                switch segment {
                case ".": continue
                case "..": _ = segments.popLast()
                default: segments.append(segment)
                }
            }
        }
        let joined = "/" + segments.joined(separator: "/")
        guard joined.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return joined }
        return String(decoding: joined.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The spelling nearly every request arrives in, checked in one pass over its bytes so the
    /// common case allocates nothing: a leading `/`, no escapes, no capitals, no empty, `.` or
    /// `..` segment, no trailing `/` (but for `/` itself).
    static func isCanonical(_ path: String) -> Bool {
        var segmentLength = 0
        var segmentDots = 0
        var first = true
        for byte in path.utf8 {
            if first {
                guard byte == UInt8(ascii: "/") else { return false }
                first = false
                continue
            }
            switch byte {
            case UInt8(ascii: "/"):
                if segmentLength == 0 || segmentDots == segmentLength { return false }
                segmentLength = 0
                segmentDots = 0
            case UInt8(ascii: "%"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return false
            case UInt8(ascii: "."):
                segmentLength += 1
                segmentDots += 1
            default:
                segmentLength += 1
            }
        }
        if first { return false }
        return segmentLength == 0 ? path.utf8.count == 1 : segmentDots != segmentLength || segmentDots > 2
    }
}
