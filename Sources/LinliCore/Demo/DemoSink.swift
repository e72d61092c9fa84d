/// Where the generator delivers its rows, in batches of at most `DemoGenerator.batchLimit`.
/// Parents always arrive before children: a place before the places under it, household places
/// before their `Household` rows, residents before the volunteers who are residents, volunteers
/// before the teams that list them. Rows of one kind arrive in ascending id order.
public protocol DemoSink {
    mutating func places(_ places: [Place]) async throws
    mutating func households(_ households: [Household]) async throws
    mutating func residents(_ residents: [Resident]) async throws
    mutating func volunteers(_ volunteers: [Volunteer]) async throws
    mutating func teams(_ teams: [Team]) async throws
}

/// How far generation has come, reported after every compound.
public struct DemoProgress: Sendable, Hashable {
    public let householdsDone: Int
    public let householdsExpected: Int
    public let residentsDone: Int

    /// 0...1, for a progress bar.
    public var fraction: Double {
        householdsExpected == 0 ? 1 : Double(householdsDone) / Double(householdsExpected)
    }
}

/// A ready-made login for trying Linli out: the caller creates the user with this phone and name,
/// sets a password of its choosing and grants `role` at `placeID`.
public struct DemoAccount: Sendable, Hashable {
    public let phone: String
    public let name: String
    public let role: RoleKind
    public let placeID: PlaceID
    public let placePath: PlacePath

    public init(phone: String, name: String, role: RoleKind, placeID: PlaceID, placePath: PlacePath) {
        self.phone = phone
        self.name = name
        self.role = role
        self.placeID = placeID
        self.placePath = placePath
    }
}

/// Rows waiting to be delivered. Buffers are reused between flushes so the district scale runs in
/// flat memory.
struct DemoBatch {
    var places: [Place] = []
    var households: [Household] = []
    var residents: [Resident] = []
    var volunteers: [Volunteer] = []
    var teams: [Team] = []

    var isFull: Bool {
        places.count >= DemoGenerator.batchLimit || residents.count >= DemoGenerator.batchLimit
    }

    /// Delivers everything in dependency order, then empties the buffers.
    mutating func flush(into sink: inout some DemoSink) async throws {
        try await Self.deliver(places) { try await sink.places($0) }
        try await Self.deliver(households) { try await sink.households($0) }
        try await Self.deliver(residents) { try await sink.residents($0) }
        try await Self.deliver(volunteers) { try await sink.volunteers($0) }
        try await Self.deliver(teams) { try await sink.teams($0) }
        places.removeAll(keepingCapacity: true)
        households.removeAll(keepingCapacity: true)
        residents.removeAll(keepingCapacity: true)
        volunteers.removeAll(keepingCapacity: true)
        teams.removeAll(keepingCapacity: true)
    }

    /// A large compound can overshoot the batch limit; it is split rather than sent whole.
    private static func deliver<Row>(_ rows: [Row], _ send: ([Row]) async throws -> Void) async throws {
        guard !rows.isEmpty else { return }
        if rows.count <= DemoGenerator.batchLimit {
            try await send(rows)
            return
        }
        var start = 0
        while start < rows.count {
            let end = min(start + DemoGenerator.batchLimit, rows.count)
            try await send(Array(rows[start..<end]))
            start = end
        }
    }
}
