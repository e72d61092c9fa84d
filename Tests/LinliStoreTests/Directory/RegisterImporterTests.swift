import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import Testing

@Suite("Importing and exporting the household register")
struct RegisterImporterTests {
    static let header = ["楼号", "室号", "姓名", "电话", "出生年份", "备注"]
    static let good: [[String]] = [
        header,
        ["3号楼", "201", "王建国", "13812345678", "1948", "独居"],
        ["3号楼", "201", "王秀兰", "13812345679", "1950", ""],
        ["5", "1502", "陈晨", "139 1234 5678", "1990", "租户"],
    ]

    @Test("a register creates buildings, flats and residents; importing it again changes nothing", arguments: TestEngine.available)
    func importTwice(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            let importer = RegisterImporter(store: store)
            let first = try await importer.run(rows: Self.good, into: tree.compound.id, partial: false, actor: "test", currentYear: 2022, now: Date())
            #expect(!first.rejected)
            #expect(first.residentsCreated == 3)
            #expect(first.householdsCreated == 1, "3号楼 201 exists already; 5号楼 1502 is new")
            let second = try await importer.run(rows: Self.good, into: tree.compound.id, partial: false, actor: "test", currentYear: 2022, now: Date())
            #expect(second.residentsCreated == 0 && second.residentsUpdated == 0 && second.householdsCreated == 0)
            #expect(second.unchanged == 3)
        }
    }

    @Test("one bad row imports nothing and names the row; --partial applies the good rows", arguments: TestEngine.available)
    func badRow(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            var rows = Self.good
            rows.append(["5", "1503", "赵六", "12345", "1980", ""])
            let importer = RegisterImporter(store: store)
            let rejected = try await importer.run(rows: rows, into: tree.compound.id, partial: false, actor: "test", currentYear: 2022, now: Date())
            #expect(rejected.rejected)
            #expect(rejected.issues.map(\.row) == [5])
            #expect(rejected.issues.first?.field == .phone)
            let count = try await store.read { db in try await RegisterRecords.residents(under: tree.compound, on: db).count }
            #expect(count == 8, "nothing was imported")
            let partial = try await importer.run(rows: rows, into: tree.compound.id, partial: true, actor: "test", currentYear: 2022, now: Date())
            #expect(!partial.rejected && partial.residentsCreated == 3)
            let rejects = RegisterImporter.rejectedRows(rows, issues: partial.issues, language: .en)
            #expect(rejects.count == 2 && rejects[1].prefix(3) == ["5", "1503", "赵六"])
        }
    }

    @Test("an exported register re-imports to the same data", arguments: TestEngine.available)
    func exportRoundTrip(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            let importer = RegisterImporter(store: store)
            _ = try await importer.run(rows: Self.good, into: tree.compound.id, partial: false, actor: "test", currentYear: 2022, now: Date())
            let exported = try await importer.export(placeID: tree.compound.id, maskPhones: false, includeSensitive: true).rows
            #expect(exported.count == 1 + 8 + 3)
            let again = try await importer.run(rows: exported, into: tree.compound.id, partial: false, actor: "test", currentYear: 2022, now: Date())
            #expect(!again.rejected)
            #expect(again.residentsCreated == 0 && again.residentsUpdated == 0 && again.householdsCreated == 0)
            let masked = try await importer.export(placeID: tree.compound.id, maskPhones: true, includeSensitive: false).rows
            #expect(!masked[0].contains("健康状况"))
            #expect(masked.dropFirst().allSatisfy { row in row.contains { $0.contains("****") } || row.allSatisfy { !$0.hasPrefix("13") } })
        }
    }
}
