import Foundation
@testable import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Rows of several tables inserted together")
struct BulkInsertTests {
    static func createTables(_ store: Store) async throws {
        try await store.write { db in
            try await db.raw("CREATE TABLE probe_parent (id BIGINT PRIMARY KEY)").run()
            try await db.raw("CREATE TABLE probe_child (name TEXT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES probe_parent(id))").run()
            try await db.raw("CREATE TABLE probe_log (line TEXT NOT NULL)").run()
            try await db.raw("INSERT INTO probe_parent (id) VALUES (1)").run()
            try await db.raw("INSERT INTO probe_child (name, parent_id) VALUES ('taken', 1)").run()
        }
    }

    static func names(_ table: String, _ column: String, in store: Store) async throws -> [String] {
        try await store.read { db in
            try await db.raw("SELECT \(unsafeRaw: column) AS v FROM \(unsafeRaw: table) ORDER BY 1").all().map { try $0.decode(column: "v", as: String.self) }
        }
    }

    static func children(_ names: [String], parent: Int64, conflict: String = "") -> RowsToInsert {
        RowsToInsert(into: "probe_child", columns: ["name", "parent_id"], rows: names.map { [$0, parent] }, conflict: conflict)
    }

    static func log(_ lines: [String]) -> RowsToInsert {
        RowsToInsert(into: "probe_log", columns: ["line"], rows: lines.map { [$0] })
    }

    @Test("every table's rows go in, a conflict clause skips a taken key, and rows may refer to a row written before in the transaction", arguments: TestEngine.available)
    func together(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await Self.createTables(store)
            try await store.write { db in
                try await db.raw("INSERT INTO probe_parent (id) VALUES (2)").run()
                try await db.insertRows([
                    Self.children(["a", "taken", "b"], parent: 2, conflict: " ON CONFLICT (name) DO NOTHING"),
                    Self.log([]),
                    Self.log(["one", "two"]),
                ])
            }
            #expect(try await Self.names("probe_child", "name || ':' || CAST(parent_id AS TEXT)", in: store) == ["a:2", "b:2", "taken:1"])
            #expect(try await Self.names("probe_log", "line", in: store) == ["one", "two"])
        }
    }

    @Test("one refused row refuses the whole call: no table keeps a row of it", arguments: TestEngine.available)
    func allOrNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await Self.createTables(store)
            await #expect(throws: (any Error).self) {
                try await store.write { db in
                    // The log's rows come first, then a child of a parent that does not exist.
                    try await db.insertRows([Self.log(["kept?"]), Self.children(["orphan"], parent: 99)])
                }
            }
            await #expect(throws: (any Error).self) {
                try await store.write { db in try await db.insertRows([Self.log(["kept?"]), Self.children(["taken"], parent: 1)]) }
            }
            #expect(try await Self.names("probe_child", "name", in: store) == ["taken"])
            #expect(try await Self.names("probe_log", "line", in: store) == [])
        }
    }
}
