/// One pairing problem as `linli care pair` reads it and the pages build it: the buildings of some
/// compounds with their positions, the registered people and the helpers.
public struct PairingInstance: Sendable, Hashable, Codable {
    public struct Building: Sendable, Hashable, Codable {
        public var compound: String
        public var building: String
        /// Metres on the compound's plan; a building without both has no position.
        public var x: Double?
        public var y: Double?

        public init(compound: String, building: String, x: Double? = nil, y: Double? = nil) {
            self.compound = compound
            self.building = building
            self.x = x
            self.y = y
        }
    }

    public struct Person: Sendable, Hashable, Codable {
        public var id: String
        public var compound: String
        public var building: String
        public var floor: Int
        /// Skills a helper must have every one of (`medical`, `sign_language`, `dialect`, `driver`, ...).
        public var needs: [String]?
        /// The helper chosen by hand as this person's primary: kept as it is.
        public var pinned: String?

        public init(id: String, compound: String, building: String, floor: Int, needs: [String]? = nil, pinned: String? = nil) {
            self.id = id
            self.compound = compound
            self.building = building
            self.floor = floor
            self.needs = needs
            self.pinned = pinned
        }
    }

    public struct Helper: Sendable, Hashable, Codable {
        public var id: String
        public var compound: String
        public var building: String
        public var floor: Int
        public var skills: [String]?
        /// How many people the helper takes in each stage; 3 unless the helper says otherwise.
        public var capacity: Int?

        public init(id: String, compound: String, building: String, floor: Int, skills: [String]? = nil, capacity: Int? = nil) {
            self.id = id
            self.compound = compound
            self.building = building
            self.floor = floor
            self.skills = skills
            self.capacity = capacity
        }
    }

    public var buildings: [Building]?
    public var people: [Person]
    public var helpers: [Helper]

    public init(buildings: [Building]? = nil, people: [Person], helpers: [Helper]) {
        self.buildings = buildings
        self.people = people
        self.helpers = helpers
    }

    public static let defaultCapacity = 3
    /// Bounds on what an instance may say, checked before solving, so no number can overflow a
    /// cost: floors of the tallest towers and deepest basements, a compound's plan in metres.
    public static let floors = -10...200
    public static let capacities = 0...50
    public static let coordinates = -1_000_000.0...1_000_000.0

    /// The first thing wrong with the instance, in words, or nil.
    public func problem() -> String? {
        for building in buildings ?? [] {
            for value in [building.x, building.y].compactMap({ $0 }) where !value.isFinite || !Self.coordinates.contains(value) {
                return "building \(building.compound)/\(building.building): a coordinate must be a number of metres within ±1,000,000"
            }
        }
        var personIDs: Set<String> = []
        for person in people {
            guard personIDs.insert(person.id).inserted else { return "person \(person.id) appears twice" }
            guard Self.floors.contains(person.floor) else { return "person \(person.id): floor must be within \(Self.floors.lowerBound)…\(Self.floors.upperBound)" }
        }
        var helperIDs: Set<String> = []
        for helper in helpers {
            guard helperIDs.insert(helper.id).inserted else { return "helper \(helper.id) appears twice" }
            guard Self.floors.contains(helper.floor) else { return "helper \(helper.id): floor must be within \(Self.floors.lowerBound)…\(Self.floors.upperBound)" }
            if let capacity = helper.capacity, !Self.capacities.contains(capacity) { return "helper \(helper.id): capacity must be within 0…50" }
        }
        return nil
    }
}

/// The pairing: each person's primary and backup helper, who has no primary, and what it costs.
public struct PairingResult: Sendable, Hashable, Codable {
    public struct Cost: Sendable, Hashable, Codable {
        public var primary: Int64
        public var backup: Int64

        public init(primary: Int64, backup: Int64) {
            self.primary = primary
            self.backup = backup
        }
    }

    public var primary: [String: String]
    public var backup: [String: String]
    public var unpaired: [String]
    public var cost: Cost

    public init(primary: [String: String], backup: [String: String], unpaired: [String], cost: Cost) {
        self.primary = primary
        self.backup = backup
        self.unpaired = unpaired
        self.cost = cost
    }
}
