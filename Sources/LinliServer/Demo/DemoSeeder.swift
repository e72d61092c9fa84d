import Foundation
import LinliCore
import LinliStore

/// Writes the demo generator's rows into the store, batch by batch (each batch one transaction).
public struct StoreDemoSink: DemoSink {
    let store: Store

    public init(store: Store) { self.store = store }

    public mutating func places(_ places: [Place]) async throws {
        try await store.write { db in try await DirectoryRecords.insert(places: places, on: db) }
    }
    public mutating func households(_ households: [Household]) async throws {
        try await store.write { db in try await DirectoryRecords.insert(households: households, on: db) }
    }
    public mutating func residents(_ residents: [Resident]) async throws {
        try await store.write { db in try await DirectoryRecords.insert(residents: residents, on: db) }
    }
    public mutating func volunteers(_ volunteers: [Volunteer]) async throws {
        try await store.write { db in try await DirectoryRecords.insert(volunteers: volunteers, on: db) }
    }
    public mutating func teams(_ teams: [Team]) async throws {
        try await store.write { db in try await DirectoryRecords.insert(teams: teams, on: db) }
    }
}

/// Seeds the demo data set and its logins: used by `linli demo`, `linli serve --demo` and the tests.
public enum DemoSeeder {
    /// The password of every demo login. Demo data is for trying Linli out, never for real use.
    public static let password = "linli-demo"
    /// Households of the first building whose codes the demo prints, so residents' pages can be tried.
    public static let householdsWithCodes = 2

    public struct Outcome: Sendable {
        public var generator: DemoGenerator
        /// Households of the first demo building with their fresh codes.
        public var households: [DemoHousehold]
        /// The two weeks of requests before `now`, when they were seeded (compound scale only).
        public var history: DemoHistorySummary?
        public var seconds: Double
    }

    public struct DemoHousehold: Sendable {
        public var id: PlaceID
        public var code: HouseholdCode
    }

    /// Seeds `scale` into an empty database. Refuses a database that already has places, so demo
    /// data never mixes with real data.
    /// Codes are stored under `householdCodeKey`, the key the server will check them with.
    /// `passwords` should be the server's: an account hashed at a lower cost is told apart from an
    /// unknown phone by how fast a wrong password is refused, until its first login re-hashes it.
    ///
    /// At compound scale, `history` adds the two weeks of requests before `now` (`DemoHistory`),
    /// written in the same transaction as the logins; the same seed and `now` give the same rows.
    /// The larger scales are for benchmarks and load, which want the tables as they were.
    public static func seed(
        store: Store, householdCodeKey: HouseholdCodeKey, scale: DemoScale, seed: UInt64 = 2022, history: Bool = true, now: Date = Date(),
        passwords: Passwords = Passwords(), progress: @escaping (DemoProgress, TimeInterval) -> Void = { _, _ in }
    ) async throws -> Outcome {
        let started = Date()
        let existing = try await store.read { db in try await DirectoryRecords.rootPlaces(on: db) }
        guard existing.isEmpty else { throw DemoSeederError.databaseNotEmpty }
        let generator = DemoGenerator(scale: scale, seed: seed, referenceYear: 2022)
        var sink = StoreDemoSink(store: store)
        try await generator.generate(into: &sink) { step in progress(step, Date().timeIntervalSince(started)) }
        let hash = try await passwords.hash(password)
        let withHistory = history && scale == .compound
        // Care's demo needs the care tables: a test that seeds an older schema gets none.
        let schema = try await store.schemaVersion() ?? 0
        let withCare = withHistory && schema >= 12
        let withMedicine = withHistory && schema >= 14
        let withGroupBuys = withHistory && schema >= 15
        let withSupplies = withHistory && schema >= 16
        let withRumours = withHistory && schema >= 17
        let withInformation = withHistory && schema >= 18
        // With a history the logins were there before its first request.
        let accountsCreated = withHistory ? DemoHistory.startsAt(now: now) : now
        let (codes, summary) = try await store.write { db -> ([DemoHousehold], DemoHistorySummary?) in
            var codes: [DemoHousehold] = []
            var random = SystemRandomNumberGenerator()
            try await DirectoryRecords.resetIdentitySequences(engine: store.engine, on: db)
            var users: [DemoAccount: UserID] = [:]
            for account in generator.accounts {
                let userID: UserID
                if let existing = try await UserRecords.user(phone: account.phone, on: db) {
                    userID = existing.id
                } else {
                    userID = try await UserRecords.insert(phone: account.phone, name: account.name, passwordHash: hash, at: accountsCreated, on: db)
                }
                users[account] = userID
                guard let place = try await DirectoryRecords.place(id: account.placeID, on: db) else { continue }
                try await UserRecords.grant(account.role, at: place, to: userID, on: db)
            }
            if let leader = generator.accounts.first(where: { $0.role == .buildingLeader }) {
                let children = try await DirectoryRecords.children(of: leader.placeID, on: db).prefix(householdsWithCodes)
                for child in children {
                    let code = HouseholdCode.generate(using: &random)
                    try await HouseholdRecords.setCode(householdID: child.place.id, codeHash: householdCodeKey.digest(code), at: now, on: db)
                    codes.append(DemoHousehold(id: child.place.id, code: code))
                }
            }
            guard withHistory else { return (codes, nil) }
            let plan = DemoHistory(generator: generator, users: users, householdsWithCodes: codes.map(\.id), now: now)
            let summary = try await DemoHistoryWriter.write(plan, on: db)
            if withCare {
                try await DemoCareRegister.write(generator: generator, now: now, on: db)
                try await DemoCareSurvey.write(generator: generator, users: users, now: now, on: db)
                try await DemoCarePairing.write(generator: generator, now: now, on: db)
            }
            if withMedicine {
                try await DemoMedicine.write(generator: generator, users: users, printed: codes.map(\.id), now: now, engine: store.engine, on: db)
            }
            if withGroupBuys {
                try await DemoGroupBuy.write(generator: generator, users: users, now: now, on: db)
            }
            if withSupplies {
                try await DemoSupplies.write(generator: generator, users: users, printed: codes.map(\.id), now: now, engine: store.engine, on: db)
            }
            if withRumours {
                try await DemoRumours.write(generator: generator, users: users, now: now, on: db)
            }
            if withInformation {
                try await DemoInformation.write(generator: generator, users: users, printed: codes.map(\.id), now: now, engine: store.engine, on: db)
                try await DemoBriefings.write(generator: generator, users: users, now: now, on: db)
            }
            return (codes, summary)
        }
        return Outcome(generator: generator, households: codes, history: summary, seconds: Date().timeIntervalSince(started))
    }

}

public enum DemoSeederError: Error, CustomStringConvertible {
    case databaseNotEmpty
    public var description: String { "the database already has places: demo data goes only into an empty database" }
}
