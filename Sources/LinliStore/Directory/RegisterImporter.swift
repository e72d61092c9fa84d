import Foundation
import LinliCore
import SQLKit

/// What an import did, or would have done.
public struct RegisterImportReport: Sendable, Codable {
    public var rowsRead: Int
    public var householdsCreated: Int
    public var residentsCreated: Int
    public var residentsUpdated: Int
    public var unchanged: Int
    /// Residents of the place the file does not mention; they are kept.
    public var notInFile: Int
    public var issues: [RegisterIssue]
    /// True when nothing was written (bad rows in an all-or-nothing import).
    public var rejected: Bool

    enum CodingKeys: String, CodingKey {
        case rowsRead = "rows_read", householdsCreated = "households_created", residentsCreated = "residents_created"
        case residentsUpdated = "residents_updated", unchanged, notInFile = "not_in_file", issues, rejected
    }
}

public enum RegisterImportStage: Sendable {
    case parsed(rows: Int)
    case applying(done: Int, total: Int)
}

/// Reads a register file and applies it to a place: all or nothing by default; with `partial`
/// the good rows are applied and the bad ones returned for a rejects file.
public struct RegisterImporter: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    static let importLockKey = 20_220_401

    public func run(rows: [[String]], into placeID: PlaceID, partial: Bool, actor: String, currentYear: Int, now: Date, traceID: String? = nil, progress: @escaping @Sendable (RegisterImportStage) -> Void = { _ in }) async throws -> RegisterImportReport {
        let parsed = RegisterParser.parse(rows: rows, currentYear: currentYear)
        progress(.parsed(rows: parsed.rows.count + Set(parsed.issues.map(\.row)).count))
        let badRows = Set(parsed.issues.map(\.row))
        let rowsRead = parsed.rows.count + badRows.count
        if !parsed.issues.isEmpty && (!partial || parsed.rows.isEmpty) {
            return RegisterImportReport(rowsRead: rowsRead, householdsCreated: 0, residentsCreated: 0, residentsUpdated: 0, unchanged: 0, notInFile: 0, issues: parsed.issues, rejected: true)
        }
        let engine = store.engine
        return try await store.write { db in
            if engine == .postgres {
                // Imports run one at a time, as on SQLite: two at once would both create the same
                // new building or flat.
                try await db.raw("SELECT pg_advisory_xact_lock(\(literal: Self.importLockKey))").run()
            }
            guard let place = try await DirectoryRecords.place(id: placeID, on: db) else { throw StoreError.notFound }
            let existing = try await RegisterRecords.residents(under: place, on: db)
            let households = try await RegisterRecords.householdKeys(under: place, on: db)
            let plan = RegisterDiff.plan(incoming: parsed.rows, presentFields: parsed.presentFields, existingResidents: existing, existingHouseholds: households)
            let total = plan.changes.count
            try await RegisterRecords.apply(plan, under: place, actor: actor, at: now, traceID: traceID, on: db) { done in
                progress(.applying(done: done, total: total))
            }
            var report = RegisterImportReport(rowsRead: rowsRead, householdsCreated: 0, residentsCreated: 0, residentsUpdated: 0, unchanged: plan.unchanged, notInFile: plan.unmatchedExisting, issues: parsed.issues, rejected: false)
            for change in plan.changes {
                switch change {
                case .createHousehold: report.householdsCreated += 1
                case .createResident: report.residentsCreated += 1
                case .updateResident: report.residentsUpdated += 1
                }
            }
            return report
        }
    }

    /// The rows of `rows` (header kept) that had issues, with a reason column, for `--partial`.
    public static func rejectedRows(_ rows: [[String]], issues: [RegisterIssue], language: Language) -> [[String]] {
        guard let header = rows.first else { return [] }
        var reasons: [Int: [String]] = [:]
        for issue in issues { reasons[issue.row, default: []].append(issue.message(in: language)) }
        var result = [header + [Catalogue.text("register.rejects.reason_column", language)]]
        for rowNumber in reasons.keys.sorted() where rowNumber >= 2 && rowNumber - 1 < rows.count {
            result.append(rows[rowNumber - 1] + [reasons[rowNumber, default: []].joined(separator: "; ")])
        }
        return result
    }

    /// The register of a place as spreadsheet rows, and how many residents in it carry health or
    /// disability notes (for the audit entry when those are included). A masked export is a list
    /// to hand out: phones masked, no sensitive columns.
    public func export(placeID: PlaceID, maskPhones: Bool, includeSensitive: Bool) async throws -> (rows: [[String]], sensitiveResidents: Int) {
        let residents = try await store.read { db -> [ExistingResident] in
            guard let place = try await DirectoryRecords.place(id: placeID, on: db) else { throw StoreError.notFound }
            return try await RegisterRecords.residents(under: place, on: db)
        }
        let sensitive = includeSensitive ? residents.count { $0.row.healthNote != nil || $0.row.disabilityNote != nil } : 0
        return (RegisterExport.rows(residents.map(\.row), maskPhones: maskPhones, includeSensitive: includeSensitive), sensitive)
    }
}
