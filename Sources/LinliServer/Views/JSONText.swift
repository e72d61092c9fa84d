import Foundation
import Hummingbird
import LinliCore

/// A JSON object written straight into bytes, for the answers the API gives most: a filing's
/// answer through Foundation's JSONEncoder was the largest single cost of a filing outside the
/// database (about a sixth of the handler's CPU). Keys are written in the order given; an absent
/// optional is left out, as JSONEncoder leaves it out; dates are ISO 8601 in UTC to the second,
/// as JSONEncoder's `.iso8601` writes them.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    mutating func field(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field<Entity>(_ key: StaticString, _ value: ID<Entity>?) {
        field(key, value?.rawValue)
    }

    mutating func field(_ key: StaticString, _ value: Int) {
        field(key, Int64(value))
    }

    mutating func field(_ key: StaticString, _ value: Int?) {
        field(key, value.map(Int64.init))
    }

    mutating func field(_ key: StaticString, _ value: Date?) {
        guard let value else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        Self.appendISO8601(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An array of objects, each written by `element`.
    mutating func field<Element>(_ key: StaticString, _ elements: [Element]?, _ element: (Element, inout JSONText) -> Void) {
        guard let elements else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = JSONText(capacity: 128)
            element(value, &object)
            bytes.append(contentsOf: object.finished)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    var finished: [UInt8] { bytes + [UInt8(ascii: "}")] }

    /// The object as an API answer.
    func response(status: HTTPResponse.Status = .ok) -> Response {
        let body = finished
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private mutating func key(_ key: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
    }

    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `2022-04-15T05:20:00Z`: the civil date of the day count, then the time of day; fractions of a
    /// second are dropped. A date outside years 1 to 9999 (only a corrupt row holds one) is written
    /// as the nearest of those bounds, so the answer stays valid ISO 8601 and nothing traps.
    static func appendISO8601(_ date: Date, to bytes: inout [UInt8]) {
        let seconds = date.representableSecondsSince1970
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let civil = CivilDate(daysSinceUnixEpoch: Int(days))
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int64(civil.year), 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(civil.month), 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(civil.day), 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3_600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3_600 / 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
    }
}
