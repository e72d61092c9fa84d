import Foundation
import Hummingbird
import HummingbirdTesting
import LinliCore
import LinliServer
@testable import LinliStore
import LinliTestSupport
import Testing

@Suite("Household codes under the server's key")
struct HouseholdCodeTests {
    @Test("a code printed before codes were keyed still opens its household after migration 10", arguments: TestEngine.available)
    func migratedCodeOpens(engine: TestEngine) async throws {
        try await withTestStore(engine, migrate: false) { store in
            try await Migrator(store: store).migrate(to: Schema.householdCodesKeyed - 1)
            // Without the history: its later parts (the care register) need tables this old schema lacks.
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, history: false, passwords: TestApp.passwords)
            let printed = try #require(demo.households.first)
            // As versions before 10 stored it: a plain SHA-256 of the code.
            try await store.write { db in
                try await HouseholdRecords.setCode(householdID: printed.id, codeHash: HouseholdCodeKey.sha256Hex(printed.code.value), at: Date(), on: db)
            }
            try await store.migrate(householdCodeKey: { TestApp.householdCodeKey })
            let app = buildApplication(ServerConfiguration(), services: TestApp.services(store: store), runJobs: false)
            try await app.test(.router) { client in
                let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(printed.id),"code":"\#(printed.code)"}"#)
                #expect(opened.status == .created)
            }
        }
    }

    @Test("a copy of a served database cannot check a code without the server's key, and can with it")
    func copyWithoutKey() async throws {
        try await TestApp.run(.sqlite) { app, client in
            let household = try #require(app.demo.households.first)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-copy-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = try await app.store.backup(to: directory + "/copy.sqlite")
            let copy = try await Store.open(.sqlite(path: directory + "/copy.sqlite"), migrate: false)
            let stored = try await copy.closing { copy in
                try await copy.read { db in try await HouseholdRecords.codeHash(householdID: household.id, on: db) }
            }
            #expect(stored != HouseholdCodeKey.sha256Hex(household.code.value), "not the plain hash a GPU tests in minutes")
            #expect(stored != HouseholdCodeKey.random().digest(household.code), "not under any key but the server's")
            #expect(stored == TestApp.householdCodeKey.digest(household.code))
            // The same code still opens the household on the server, which holds the key.
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(household.id),"code":"\#(household.code)"}"#)
            #expect(opened.status == .created)
        }
    }
}
