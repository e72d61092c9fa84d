/// The levels of the place tree (the Chinese words are in docs/GLOSSARY.md). Every record in Linli
/// hangs off a place, and a role sees only what lies at or under its own place.
public enum PlaceLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case city, district, subdistrict, committee, compound, building, household

    public var depth: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// The level directly below, or nil for a household.
    public var child: PlaceLevel? {
        let all = Self.allCases
        let next = depth + 1
        return next < all.count ? all[next] : nil
    }

    public static func < (lhs: PlaceLevel, rhs: PlaceLevel) -> Bool { lhs.depth < rhs.depth }
}

public typealias PlaceID = ID<Place>

/// A materialised path of place ids from the root, e.g. "1/2/15/230". Everything under a place is
/// the index range `path > "X/" AND path < "X0"` ('0' follows '/' in ASCII), on both engines.
public struct PlacePath: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(parent: PlacePath?, id: PlaceID) {
        rawValue = parent.map { "\($0.rawValue)/\(id)" } ?? "\(id)"
    }

    public var description: String { rawValue }

    /// Ids from the root down to this place.
    public var ids: [PlaceID] { rawValue.split(separator: "/").compactMap { PlaceID($0) } }

    /// Lower (exclusive) and upper (exclusive) bounds of the descendants' paths.
    public var descendantRange: (after: String, before: String) { (rawValue + "/", rawValue + "0") }

    /// True if `other` is this place or lies under it.
    public func contains(_ other: PlacePath) -> Bool {
        other.rawValue == rawValue || other.rawValue.hasPrefix(rawValue + "/")
    }
}

public struct Place: Sendable, Hashable, Codable {
    public var id: PlaceID
    public var parentID: PlaceID?
    public var level: PlaceLevel
    public var name: String
    /// An official or local code (e.g. an administrative code "310115"); optional.
    public var code: String?
    public var path: PlacePath
    /// The district the place lies in (nil for the city): the distribution key if PostgreSQL is
    /// ever sharded by district (Citus, say), so a city deployment could split without changing
    /// queries.
    public var districtID: PlaceID?

    public init(id: PlaceID, parentID: PlaceID?, level: PlaceLevel, name: String, code: String? = nil, path: PlacePath, districtID: PlaceID?) {
        self.id = id
        self.parentID = parentID
        self.level = level
        self.name = name
        self.code = code
        self.path = path
        self.districtID = districtID
    }
}
