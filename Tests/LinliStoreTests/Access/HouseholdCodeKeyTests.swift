import Foundation
import LinliCore
@testable import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("The household code key")
struct HouseholdCodeKeyTests {
    static let code = HouseholdCode(typed: "ABCD-EFGH")

    /// A directory of its own for key files, removed afterwards.
    static func withDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }

    /// A place and a household with `codeHash`, written as any version since 1 can hold them.
    static func household(codeHash: String, on db: any SQLDatabase) async throws -> PlaceID {
        try await db.raw("INSERT INTO places (id, parent_id, level, name, path) VALUES (1, NULL, 'city', 'C', '1')").run()
        try await db.raw("INSERT INTO places (id, parent_id, level, name, path) VALUES (2, 1, 'building', 'B', '1/2')").run()
        try await db.raw("INSERT INTO places (id, parent_id, level, name, path) VALUES (3, 2, 'household', '101', '1/2/3')").run()
        try await db.raw("INSERT INTO households (id, building_id, room, path, code_hash) VALUES (3, 2, '101', '1/2/3', \(bind: codeHash))").run()
        return 3
    }

    @Test("a key file is created with mode 0600 and read back; a file others may read, of the wrong size or not base64 is refused")
    func keyFile() async throws {
        try await Self.withDirectory { directory in
            let path = directory + "/key"
            let created = try HouseholdCodeKey.create(at: path)
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            #expect(try HouseholdCodeKey.load(from: path) == created)
            #expect(try HouseholdCodeKey.create(at: path) == created, "an existing key is never replaced")

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: HouseholdCodeKeyError.tooOpen(path: path, mode: "644")) { try HouseholdCodeKey.load(from: path) }

            let short = directory + "/short"
            try #require(FileManager.default.createFile(atPath: short, contents: Data(Data(repeating: 7, count: 16).base64EncodedString().utf8), attributes: [.posixPermissions: 0o600]))
            #expect(throws: HouseholdCodeKeyError.wrongSize(source: short, bytes: 16)) { try HouseholdCodeKey.load(from: short) }

            let garbage = directory + "/garbage"
            try #require(FileManager.default.createFile(atPath: garbage, contents: Data("not a key!".utf8), attributes: [.posixPermissions: 0o600]))
            #expect(throws: HouseholdCodeKeyError.notBase64(source: garbage)) { try HouseholdCodeKey.load(from: garbage) }
            #expect(throws: HouseholdCodeKeyError.missing(path: directory + "/none")) { try HouseholdCodeKey.load(from: directory + "/none") }
        }
    }

    @Test("a database with keyed codes refuses a missing key file and another key; an empty one gets a new key", arguments: TestEngine.available)
    func refusals(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await Self.withDirectory { directory in
                let path = directory + "/key"
                // No codes yet: a key is made.
                let key = try await store.householdCodeKey(file: path)
                try await store.adoptHouseholdCodeKey(key, source: path)
                let code = try #require(Self.code)
                _ = try await store.write { db in try await Self.household(codeHash: key.digest(code), on: db) }

                try FileManager.default.removeItem(atPath: path)
                await #expect(throws: HouseholdCodeKeyError.neededForKeyedCodes(path: path)) { try await store.householdCodeKey(file: path) }
                #expect(!FileManager.default.fileExists(atPath: path), "no new key in place of the lost one")
                await #expect(throws: HouseholdCodeKeyError.notThisDatabasesKey(source: "another")) {
                    try await store.adoptHouseholdCodeKey(HouseholdCodeKey.random(), source: "another")
                }
                try await store.adoptHouseholdCodeKey(key, source: path)
            }
        }
    }

    @Test("migration 10 keys a stored SHA-256 code without knowing it, and refuses to run without the key", arguments: TestEngine.available)
    func migration(engine: TestEngine) async throws {
        try await withTestStore(engine, migrate: false) { store in
            try await Migrator(store: store).migrate(to: Schema.householdCodesKeyed - 1)
            let code = try #require(Self.code)
            let plain = HouseholdCodeKey.sha256Hex(code.value)
            let id = try await store.write { db in try await Self.household(codeHash: plain, on: db) }

            await #expect(throws: HouseholdCodeKeyError.neededToKeyCodes) { try await store.migrate() }
            #expect(try await store.schemaVersion() == Schema.householdCodesKeyed - 1, "the failed migration left everything as it was")

            let key = HouseholdCodeKey.random()
            try await store.migrate(householdCodeKey: { key })
            #expect(try await store.schemaVersion() == Store.latestSchemaVersion)
            let stored = try await store.read { db in try await HouseholdRecords.codeHash(householdID: id, on: db) }
            #expect(stored == key.digest(code))
            #expect(stored != plain)
            try await store.adoptHouseholdCodeKey(key, source: "the migration's key")
        }
    }

    @Test("a copy of the database cannot check a household code without the key, and can with it")
    func copyAlone() async throws {
        try await withTestStore(.sqlite) { store in
            try await Self.withDirectory { directory in
                let key = HouseholdCodeKey.random()
                let code = try #require(Self.code)
                let id = try await store.write { db in try await Self.household(codeHash: key.digest(code), on: db) }
                let copyPath = directory + "/stolen.sqlite"
                _ = try await store.backup(to: copyPath)
                let copy = try await Store.open(.sqlite(path: copyPath), migrate: false)
                try await copy.closing { copy in
                    let stored = try #require(try await copy.read { db in try await HouseholdRecords.codeHash(householdID: id, on: db) })
                    // Everything a thief can compute from the code and the copy: the plain hash
                    // older versions stored, and the keyed hash under any key but the server's.
                    #expect(stored != HouseholdCodeKey.sha256Hex(code.value))
                    #expect(stored != HouseholdCodeKey.random().digest(code))
                    // And the key itself is nowhere in the copy, in any form.
                    let file = try Data(contentsOf: URL(fileURLWithPath: copyPath))
                    let raw = try #require(Data(base64Encoded: key.base64))
                    #expect(file.range(of: raw) == nil)
                    #expect(file.range(of: Data(key.base64.utf8)) == nil)
                    // With the key the same copy checks the code.
                    #expect(stored == key.digest(code))
                }
            }
        }
    }
}
