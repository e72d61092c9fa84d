/// The identity of one stored `Entity`: the row's integer key, typed by what it names, so that a
/// household's ID passed where a user's is meant is a compile error rather than a wrong row.
///
/// In JSON, in URLs and in the database it is the plain integer, so the API's fields and the
/// schema are the same as with bare integers.
public struct ID<Entity>: RawRepresentable, Hashable, Comparable, Sendable {
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: ID, rhs: ID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension ID: Codable {
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ID: LosslessStringConvertible {
    /// Parses the decimal integer of a URL or a form; anything else (a sign, spaces, a number
    /// beyond 64 bits) is nil.
    public init?(_ description: String) {
        guard let rawValue = Int64(description) else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    /// Parses one piece of a longer text, such as a place path.
    public init?(_ text: Substring) {
        guard let rawValue = Int64(text) else { return nil }
        self.rawValue = rawValue
    }
}

extension ID: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        rawValue = value
    }
}

/// Any `ID`, whatever it names: lets the database layers bind and read it as its integer.
public protocol IntegerIdentifier {
    var rawValue: Int64 { get }
    init(rawValue: Int64)
}

extension ID: IntegerIdentifier {}
