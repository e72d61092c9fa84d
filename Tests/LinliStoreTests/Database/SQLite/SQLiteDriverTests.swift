import Foundation
import LinliCore
@testable import LinliStore
import LinliTestSupport
import SQLKit
import Testing

/// Linli's own SQLite connections (`SQLiteConnection`): values in and out as sqlite-nio gave them,
/// kept statements, errors, and a WAL that stays bounded.
@Suite("The SQLite driver")
struct SQLiteDriverTests {
    enum Kind: String, Codable { case food }
    struct Shape: Codable, Equatable { var name: String; var sizes: [Int] }

    @Test("values go in and come out unchanged: integers, reals, text, blobs, NULL, and Codable values as SQLite stores them")
    func roundTrip() async throws {
        try await withTestStore(.sqlite) { store in
            let date = Date(timeIntervalSince1970: 1_650_000_000.25)
            let row = try await store.write { db in
                try await db.raw("CREATE TABLE t (a, b, c, d, e, f, g, h, i, j, k, l)").run()
                let noText: String? = nil
                let noNumber: Int64? = nil
                try await db.raw("""
                    INSERT INTO t VALUES (\(bind: Int64.max), \(bind: Int.min), \(bind: -0.5), \(bind: ""), \(bind: "邻里 🏠\u{0}后"), \(bind: Data()),
                                          \(bind: Data([0, 1, 255])), \(bind: noText), \(bind: noNumber), \(bind: true), \(bind: Kind.food), \(bind: Shape(name: "箱", sizes: [2, 3])))
                    """).run()
                try await db.raw("INSERT INTO t (a) VALUES (\(bind: date))").run()
                return try #require(try await db.raw("SELECT * FROM t WHERE rowid = 1").first())
            }
            #expect(try row.decode(column: "a", as: Int64.self) == .max)
            #expect(try row.decode(column: "b", as: Int.self) == .min)
            #expect(try row.decode(column: "c", as: Double.self) == -0.5)
            #expect(try row.decode(column: "d", as: String.self) == "")
            #expect(try row.decode(column: "e", as: String.self) == "邻里 🏠\u{0}后", "text keeps every byte, NUL too")
            #expect(try row.decode(column: "f", as: Data.self) == Data(), "an empty blob is a blob, not NULL")
            #expect(try row.decode(column: "g", as: Data.self) == Data([0, 1, 255]))
            #expect(try row.decode(column: "h", as: String?.self) == nil)
            #expect(try row.decodeNil(column: "i"))
            #expect(try row.decode(column: "j", as: Bool.self))
            #expect(try row.decode(column: "j", as: Int.self) == 1)
            #expect(try row.decode(column: "k", as: String.self) == "food", "an enum goes in as its raw value")
            #expect(try row.decode(column: "k", as: Kind.self) == .food)
            #expect(try row.decode(column: "l", as: Shape.self) == Shape(name: "箱", sizes: [2, 3]), "a struct goes in as JSON text")
            #expect(row.allColumns == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"])
            let dated = try await store.read { db in try await db.raw("SELECT a FROM t WHERE rowid = 2").first() }
            #expect(try dated?.decode(column: "a", as: Date.self) == date)
        }
    }

    @Test("a column read as the wrong type, a NULL read as a value and a missing column are decoding errors")
    func decodingErrors() async throws {
        try await withTestStore(.sqlite) { store in
            let row = try #require(try await store.read { db in try await db.raw("SELECT 'x' AS text, NULL AS empty, 7 AS number").first() })
            #expect(throws: DecodingError.self) { try row.decode(column: "text", as: Int64.self) }
            #expect(throws: DecodingError.self) { try row.decode(column: "empty", as: String.self) }
            #expect(throws: DecodingError.self) { try row.decode(column: "absent", as: String.self) }
            #expect(try row.decode(column: "number", as: String.self) == "7", "a number reads as text, as with sqlite-nio")
            #expect(!row.contains(column: "absent") && row.contains(column: "number"))
        }
    }

    @Test("kept statements stay right: more distinct queries than the cache holds, and a table altered under a kept SELECT *")
    func statementCache() async throws {
        try await withTestStore(.sqlite) { store in
            try await store.write { db in try await db.raw("CREATE TABLE numbers (n INTEGER)").run() }
            let count = SQLiteConnection.statementCacheSize + 40
            for round in 0..<2 {
                for value in 0..<count {
                    let read = try await store.write { db in try await db.raw("SELECT \(unsafeRaw: String(value)) + \(bind: round) AS n").first()?.decode(column: "n", as: Int.self) }
                    #expect(read == value + round)
                }
            }
            let before = try await store.write { db in try await db.raw("SELECT * FROM numbers").all() }
            #expect(before.isEmpty)
            try await store.write { db in
                try await db.raw("ALTER TABLE numbers ADD COLUMN label TEXT").run()
                try await db.raw("INSERT INTO numbers VALUES (1, 'one')").run()
            }
            let after = try #require(try await store.write { db in try await db.raw("SELECT * FROM numbers").first() })
            #expect(after.allColumns == ["n", "label"])
            #expect(try after.decode(column: "label", as: String.self) == "one")
        }
    }

    @Test("SQL errors carry SQLite's message; a unique key refusing a row is recognised as such")
    func errors() async throws {
        try await withTestStore(.sqlite) { store in
            let syntax = await #expect(throws: SQLiteError.self) {
                try await store.write { db in try await db.raw("SELEKT 1").run() }
            }
            #expect(syntax?.message.contains("syntax error") == true)
            try await store.write { db in try await db.raw("CREATE TABLE keys (k TEXT PRIMARY KEY)").run() }
            try await store.write { db in try await db.raw("INSERT INTO keys VALUES ('a')").run() }
            let twice = await #expect(throws: SQLiteError.self) {
                try await store.write { db in try await db.raw("INSERT INTO keys VALUES ('a')").run() }
            }
            #expect(twice.map(Store.isUniqueViolation) == true)
        }
    }

    @Test("many readers at once get their own answers")
    func concurrentReads() async throws {
        try await withTestStore(.sqlite) { store in
            let sums = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for value in 0..<200 {
                    group.addTask { (value, try await store.read { db in try await db.raw("SELECT \(bind: value) * 2 AS n").first()?.decode(column: "n", as: Int.self) }) }
                }
                return try await group.reduce(into: [Int: Int?]()) { $0[$1.0] = $1.1 }
            }
            #expect(sums.count == 200 && sums.allSatisfy { $0.value == $0.key * 2 })
        }
    }

    @Test("under a steady stream of writes and reads the WAL starts over instead of growing")
    func boundedWAL() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wal.sqlite").path
        let store = try await Store.open(.sqlite(path: path), durability: .normal, walCheckpointFrames: 64)
        try await store.closing { store in
            try await store.write { db in try await db.raw("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)").run() }
            var largestWAL = 0
            // 2,000 pages of rows, written while readers keep reading: without restarts the WAL
            // would hold every one of them.
            for round in 0..<100 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await store.write { db in try await db.raw("INSERT INTO blobs (body) VALUES (zeroblob(4000))").run() } }
                        group.addTask { _ = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM blobs").first() } }
                    }
                    try await group.waitForAll()
                }
                if round % 10 == 9 {
                    largestWAL = max(largestWAL, (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0)
                }
            }
            let rows = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM blobs").first()?.decode(column: "n", as: Int.self) }
            #expect(rows == 2_000)
            #expect(largestWAL > 0)
            #expect(largestWAL < 1_000 * 4_096, "the WAL reached \(largestWAL) bytes; 2,000 pages were written through it")
            let check = try await store.read { db in try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self) }
            #expect(check == "ok")
        }
    }

    @Test("a write that ends its batch's transaction fails the whole batch with its own error, and nothing of the batch is kept")
    func transactionEndedInsideAWrite() async throws {
        struct Planted: Error {}
        try await withTestStore(.sqlite) { store in
            try await store.write { db in try await db.raw("CREATE TABLE marks (name TEXT)").run() }
            // The first write holds the writer until three more wait, so those three share a transaction.
            let (started, didStart) = AsyncStream<Void>.makeStream()
            let (gate, open) = AsyncStream<Void>.makeStream()
            let first = Task {
                try await store.write { db in
                    didStart.yield()
                    for await _ in gate {}
                    try await db.raw("INSERT INTO marks VALUES ('first')").run()
                }
            }
            for await _ in started { break }
            let batch = (0..<3).map { index in
                Task { () -> String in
                    do {
                        try await store.write { db in
                            // As SQLite does by itself on a full disk: the whole transaction is gone.
                            if index == 1 {
                                try await db.raw("ROLLBACK").run()
                                throw Planted()
                            }
                            try await db.raw("INSERT INTO marks VALUES (\(bind: "batch-\(index)"))").run()
                        }
                        return "written"
                    } catch is Planted {
                        return "planted"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            while await store.writesWaiting < 3 { try await Task.sleep(for: .milliseconds(5)) }
            open.finish()
            try await first.value
            var outcomes: [String] = []
            for task in batch { outcomes.append(await task.value) }
            #expect(outcomes == ["planted", "planted", "planted"])
            try await store.write { db in try await db.raw("INSERT INTO marks VALUES ('after')").run() }
            let names = try await store.read { db in try await db.raw("SELECT name FROM marks ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) } }
            #expect(names == ["after", "first"])
        }
    }

    @Test("once the store is closed, reads and writes fail at once instead of waiting for ever, and closing again is harmless")
    func closed() async throws {
        try await withTestStore(.sqlite) { store in
            try await store.write { db in try await db.raw("CREATE TABLE marks (name TEXT)").run() }
            await store.close()
            let read = await #expect(throws: SQLiteError.self) {
                try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM marks").run() }
            }
            #expect(read?.message == "the connection is closed")
            await #expect(throws: SQLiteError.self) {
                try await store.write { db in try await db.raw("INSERT INTO marks VALUES ('late')").run() }
            }
        }
    }

    @Test("a row with fewer values than the insert has columns is refused, not filled from the row before")
    func shortRow() async throws {
        try await withTestStore(.sqlite) { store in
            try await store.write { db in try await db.raw("CREATE TABLE pairs (a TEXT, b TEXT)").run() }
            await #expect(throws: SQLiteError.self) {
                try await store.write { db in
                    try await db.insertRows(into: "pairs", columns: ["a", "b"], rows: [["1", "one"], ["2"]])
                }
            }
            let count = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM pairs").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 0)
        }
    }
}
