import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Sessions")
struct SessionTests {
    @Test("a session looked up while its logout runs is not cached again after the logout")
    func logoutDuringLookup() async throws {
        try await TestApp.run(.sqlite) { app, client in
            let token = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(try await client.json("/api/v1/me", token: token).status == .ok)
            let key = "api " + token
            let identities = app.services.identities
            let caller = try #require(identities.value(for: key, now: Date()))
            // A request on another task has read the session from the database (it still
            // existed) and is about to cache it …
            let lookedUpAt = identities.generation
            // … when the logout deletes the session and clears the cache.
            #expect(try await client.json("/api/v1/auth/token", method: .delete, token: token).status == .noContent)
            identities.store(caller, for: key, now: Date(), notAfter: caller.session?.expiresAt, lookedUpAt: lookedUpAt)
            #expect(identities.value(for: key, now: Date()) == nil)
            #expect(try await client.json("/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("expired sessions and guess counters are purged by a job that runs once an hour on one node", arguments: TestEngine.available)
    func purge(engine: TestEngine) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_700_000_000))
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let target = try #require(app.demo.households.first)
            _ = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(target.id),"code":"2222-2222"}"#)
            let token = try await client.token(phone: try app.account(.buildingLeader).phone)
            try await app.store.write { db in
                try await SessionRecords.insert(tokenHash: "expired", session: Session(kind: .web, userID: nil, householdID: nil, csrfToken: "c", expiresAt: clock.now.addingTimeInterval(60)), at: clock.now, on: db)
            }
            func count(_ table: String) async throws -> Int {
                try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0 }
            }
            #expect(try await count("guess_counters") >= 3)
            let nodes = (1...2).map { JobRunner(store: app.store, owner: "node-\($0)", handlers: jobHandlers(services: app.services), now: { clock.now }) }
            for node in nodes { try await node.scheduleRecurringJobs() }
            // Two hours later: the counters have expired, so has one session; the other has 30 days.
            clock.advance(2 * 3600)
            for node in nodes { try await node.scheduleRecurringJobs() }
            var purges = 0
            for node in nodes { purges += try await node.runDueJobs() }
            #expect(purges >= 1)
            #expect(try await count("guess_counters") == 0)
            let sessions = try await count("sessions")
            #expect(sessions == 1, "the logged-in session stays")
            #expect(try await client.json("/api/v1/me", token: token).status == .ok)
            // Nothing more is due in this hour, on either node.
            for node in nodes { #expect(try await node.runDueJobs() == 0) }
            let scheduled = try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: AccessService.purgeJobKind) AND done_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            #expect(scheduled == 1, "the next hour's purge waits, once")
        }
    }
}
