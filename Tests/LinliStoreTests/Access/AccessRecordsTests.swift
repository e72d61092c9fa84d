import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import Testing

@Suite("Users, roles, sessions and the audit log")
struct AccessRecordsTests {
    @Test("users have unique phones and hold roles at places", arguments: TestEngine.available)
    func usersAndRoles(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            let now = Date()
            let id = try await store.write { db in
                let id = try await UserRecords.insert(phone: "13900001111", name: "王楼长", passwordHash: "x", at: now, on: db)
                try await UserRecords.grant(.buildingLeader, at: tree.buildingA, to: id, on: db)
                try await UserRecords.grant(.buildingLeader, at: tree.buildingA, to: id, on: db)
                return id
            }
            let roles = try await store.read { db in try await UserRecords.roles(userID: id, on: db) }
            #expect(roles == [RoleAssignment(role: .buildingLeader, placeID: tree.buildingA.id, path: tree.buildingA.path)])
            await #expect(throws: (any Error).self) {
                try await store.write { db in _ = try await UserRecords.insert(phone: "13900001111", name: "重复", passwordHash: "x", at: now, on: db) }
            }
            try await store.write { db in try await UserRecords.revoke(.buildingLeader, at: tree.buildingA.id, from: id, on: db) }
            #expect(try await store.read { db in try await UserRecords.roles(userID: id, on: db) }.isEmpty)
        }
    }

    @Test("a session is found by its token hash until it expires", arguments: TestEngine.available)
    func sessions(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let now = Date(timeIntervalSince1970: 1_650_000_000)
            let userID = try await store.write { db in try await UserRecords.insert(phone: "13900002222", name: "李", passwordHash: "x", at: now, on: db) }
            let session = Session(kind: .web, userID: userID, householdID: nil, csrfToken: "csrf", expiresAt: now.addingTimeInterval(3600))
            try await store.write { db in try await SessionRecords.insert(tokenHash: "hash-1", session: session, at: now, on: db) }
            let found = try await store.read { db in try await SessionRecords.session(tokenHash: "hash-1", now: now.addingTimeInterval(60), on: db) }
            #expect(found == session)
            #expect(try await store.read { db in try await SessionRecords.session(tokenHash: "hash-1", now: now.addingTimeInterval(7200), on: db) } == nil)
            #expect(try await store.read { db in try await SessionRecords.session(tokenHash: "other", now: now, on: db) } == nil)
        }
    }

    @Test("the audit log keeps who did what with before and after", arguments: TestEngine.available)
    func audit(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let entry = AuditEntry(at: Date(timeIntervalSince1970: 1_650_000_000), actor: "user:7", action: "resident.update", entity: "resident", entityID: "42", path: "1/2", before: "{\"phone\":\"1\"}", after: "{\"phone\":\"2\"}", traceID: "r-1")
            try await store.write { db in try await AuditRecords.append([entry], on: db) }
            let entries = try await store.read { db in try await AuditRecords.entries(entity: "resident", entityID: "42", on: db) }
            #expect(entries == [entry])
        }
    }
}
