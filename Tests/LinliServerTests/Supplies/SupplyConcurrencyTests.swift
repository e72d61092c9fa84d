import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Hand-outs at once: one door ticked by six people gets one hand-out; the last package goes to one of two doors")
struct SupplyConcurrencyTests {
    static func handOutAtOnce(_ calls: [(token: String, body: String)], batch: Int, client: some TestClientProtocol) async throws -> [HTTPResponse.Status] {
        let barrier = Barrier(count: calls.count)
        return try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for call in calls {
                group.addTask {
                    await barrier.arriveAndWait()
                    return try await client.json("/api/v1/supplies/batches/\(batch)/handouts", method: .post, token: call.token, body: call.body).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("six people tick the same door at once: one hand-out, five 409s, one ledger entry; two doors race for the last package: one each way", arguments: TestEngine.available)
    func concurrentHandOuts(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            var tokens: [String] = []
            for role in [RoleKind.buildingLeader, .compoundLead, .committeeStaff, .subdistrictStaff, .districtStaff, .admin] {
                tokens.append(try await client.token(phone: try app.account(role).phone))
            }
            let staff = tokens[2]
            let leader = try app.account(.buildingLeader)
            let compound = try app.account(.compoundLead).placeID
            let first = try await app.household(under: leader.placeID, index: 0)
            let second = try await app.household(under: leader.placeID, index: 1)
            let third = try await app.household(under: leader.placeID, index: 2)

            let received = try await client.json("/api/v1/supplies/batches", method: .post, token: staff, body: SuppliesTests.batchBody(place: compound, quantity: 2))
            let batch = try #require((try received.jsonObject()["batch"] as? [String: Any])?["id"] as? Int)
            let sameDoor = try await Self.handOutAtOnce(tokens.map { ($0, #"{"household_id":\#(first)}"#) }, batch: batch, client: client)
            #expect(sameDoor.count { $0 == .created } == 1 && sameDoor.count { $0 == .conflict } == tokens.count - 1, "\(sameDoor)")

            // One package left, two doors at once.
            let lastOne = try await Self.handOutAtOnce([(tokens[0], #"{"household_id":\#(second)}"#), (tokens[1], #"{"household_id":\#(third)}"#)], batch: batch, client: client)
            #expect(lastOne.count { $0 == .created } == 1 && lastOne.count { $0 == .conflict } == 1, "\(lastOne)")

            let (entries, handedOut) = try await app.store.read { db in
                let entries = try await db.raw("SELECT COUNT(*) AS n FROM supply_ledger WHERE batch_id = \(bind: batch) AND event = 'handed_out'").first()?.decode(column: "n", as: Int.self)
                let counter = try await db.raw("SELECT handed_out FROM supply_batches WHERE id = \(bind: batch)").first()?.decode(column: "handed_out", as: Int.self)
                return (entries, counter)
            }
            #expect(entries == 2 && handedOut == 2)
            #expect(try await HashChainRecords.verifyAll(store: app.store).allSatisfy { $0.problem == nil })
        }
    }
}
