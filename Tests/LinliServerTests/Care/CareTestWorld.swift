import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import Testing

/// The demo compound and its neighbour, with people put on the care register and a group robot
/// at the compound, so the tests can see what the helpers are told.
struct CareTestWorld {
    var app: TestApp
    var committee: Place
    var compound: Place
    var otherCompound: Place

    static func build(_ app: TestApp) async throws -> CareTestWorld {
        let store = app.store
        let compoundID = try app.account(.compoundLead).placeID
        let committeeID = try app.account(.committeeStaff).placeID
        let (compound, committee, other) = try await store.read { db -> (Place?, Place?, Place?) in
            let other = try await DirectoryRecords.children(of: committeeID, on: db).map(\.place).first { $0.level == .compound && $0.id != compoundID }
            return (try await DirectoryRecords.place(id: compoundID, on: db), try await DirectoryRecords.place(id: committeeID, on: db), other)
        }
        return CareTestWorld(app: app, committee: try #require(committee), compound: try #require(compound), otherCompound: try #require(other, "the demo committee has one compound only"))
    }

    /// Puts `needs.count` of the oldest residents of `place` on the register, one per needs list.
    @discardableResult
    func register(under place: Place, needs: [[String]], pinned: VolunteerID? = nil) async throws -> [CareEntry] {
        try await app.store.write { db in
            let residents = try await CarePairingRecords.oldestUnregistered(under: place.path, limit: needs.count, on: db)
            var entries: [CareEntry] = []
            for (resident, need) in zip(residents, needs) {
                entries.append(try await CareRecords.insert(CareEntry(
                    id: 0, residentID: resident.id, householdID: resident.householdID, categories: [.elderlyAlone], needs: need, risk: .high, source: .survey,
                    pinnedHelperID: entries.isEmpty ? pinned : nil, path: resident.path, districtID: resident.districtID, createdAt: Date(), updatedAt: Date()
                ), on: db))
            }
            return entries
        }
    }

    func addRobot(at place: Place) async throws {
        let target = try WebhookTarget(kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=care-test", secret: nil)
        _ = try await app.store.write { db in try await NotifyRecords.addTarget(target, placeID: place.id, at: Date(), on: db) }
    }

    func messages(kind: String) async throws -> [NotificationMessage] {
        // Oldest first: the outbox lists the newest first.
        try await app.store.read { db in try await NotifyRecords.notifications(status: "pending", limit: 100_000, on: db) }.reversed().map(\.message).filter { $0.kind == kind }
    }

    func entry(_ id: CareEntryID) async throws -> CareEntry {
        try #require(try await app.store.read { db in try await CareRecords.entry(id: id, on: db) })
    }

    func helper(_ id: VolunteerID) async throws -> CareHelper {
        try #require(try await app.store.read { db in try await CarePairingRecords.helper(id: id, on: db) })
    }

    /// A login for the volunteer: a user with their phone and no role.
    func logIn(as helper: VolunteerID, client: some TestClientProtocol) async throws -> String {
        let volunteer = try await self.helper(helper).volunteer
        let hash = try await TestApp.passwords.hash(DemoSeeder.password)
        try await app.store.write { db in
            if try await UserRecords.user(phone: volunteer.phone, on: db) == nil {
                _ = try await UserRecords.insert(phone: volunteer.phone, name: volunteer.name, passwordHash: hash, at: Date(), on: db)
            }
        }
        return try await client.token(phone: volunteer.phone)
    }

    /// The field an API error names.
    static func errorField(_ response: TestResponse) throws -> String? {
        (try response.jsonObject()["error"] as? [String: Any])?["field"] as? String
    }

    /// The compound a path lies in.
    static func compound(of path: PlacePath) -> PlaceID? {
        let ids = path.ids
        return ids.count > PlaceLevel.compound.depth ? ids[PlaceLevel.compound.depth] : nil
    }
}
