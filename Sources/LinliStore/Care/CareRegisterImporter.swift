import Foundation
import LinliCore
import SQLKit

/// What a care register import did, or would have done.
public struct CareRegisterImportReport: Sendable, Codable {
    public var rowsRead: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var issues: [CareRegisterIssue]
    /// True when nothing was written (an issue in an all-or-nothing import).
    public var rejected: Bool

    enum CodingKeys: String, CodingKey {
        case rowsRead = "rows_read", created, updated, unchanged, issues, rejected
    }
}

/// Reads a care register file into a place: all or nothing unless `partial`, when the good rows
/// are written and the others reported.
public struct CareRegisterImporter: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    static let importLockKey = 20_221_214

    public func run(rows: [[String]], into place: Place, partial: Bool, actor: String, now: Date, traceID: String?) async throws -> CareRegisterImportReport {
        let parsed = CareRegisterFile.parse(rows: rows)
        let engine = store.engine
        return try await store.write { db in
            if engine == .postgres {
                // One import at a time: two at once would both create the same person's entry.
                try await db.raw("SELECT pg_advisory_xact_lock(\(literal: Self.importLockKey))").run()
            }
            let residents = try await CareRegisterRecords.residents(under: place, on: db)
            let entries = Dictionary(try await CareRegisterRecords.items(under: place, on: db).map { ($0.entry.residentID, $0.entry) }, uniquingKeysWith: { first, _ in first })
            let plan = CareRegisterImport.plan(rows: parsed.rows, residents: residents, entries: entries, now: now)
            let issues = (parsed.issues + plan.issues).sorted { ($0.row, $0.field?.rawValue ?? "") < ($1.row, $1.field?.rawValue ?? "") }
            let rowsRead = parsed.rows.count + Set(parsed.issues.map(\.row)).subtracting([0]).count
            var report = CareRegisterImportReport(rowsRead: rowsRead, created: 0, updated: 0, unchanged: plan.unchanged, issues: issues, rejected: false)
            if !issues.isEmpty && (!partial || plan.changes.isEmpty) {
                report.rejected = true
                report.unchanged = 0
                return report
            }
            var audit: [AuditEntry] = []
            for change in plan.changes {
                switch change {
                case .create(let resident, let draft, let lastContact, _):
                    var entry = draft.applied(to: CareEntry(id: 0, residentID: resident.id, householdID: resident.householdID, categories: [], risk: .medium, source: .survey,
                                                            path: resident.path, districtID: resident.districtID, createdAt: now, updatedAt: now))
                    entry.lastContactAt = lastContact
                    let inserted = try await CareRecords.insert(entry, on: db)
                    audit.append(AuditEntry(at: now, actor: actor, action: "care_entry.import_create", entity: "care_entry", entityID: "\(inserted.id)", path: inserted.path.rawValue,
                                            after: CareEntryAudit(inserted).json, traceID: traceID))
                    report.created += 1
                case .update(let before, var after, _):
                    after.updatedAt = now
                    guard let updated = try await CareRecords.update(after, on: db) else { throw CareRegisterImportError.changedMeanwhile }
                    audit.append(AuditEntry(at: now, actor: actor, action: "care_entry.import_update", entity: "care_entry", entityID: "\(updated.id)", path: updated.path.rawValue,
                                            before: CareEntryAudit(before).json, after: CareEntryAudit(updated).json, traceID: traceID))
                    report.updated += 1
                }
            }
            try await AuditRecords.append(audit, on: db)
            return report
        }
    }
}

public enum CareRegisterImportError: Error {
    /// An entry changed between the import's read and its write (the write holds the lock, so
    /// only an edit outside imports can do this).
    case changedMeanwhile
}

/// An entry as its audit rows record it, before and after a change.
public struct CareEntryAudit: Codable, Sendable {
    var categories: [String]
    var disabilityKind: String?
    var needs: [String]
    var risk: String
    var source: String
    var consentNote: String?
    var note: String?
    var lastContactAt: Int64?
    var version: Int

    enum CodingKeys: String, CodingKey {
        case categories, disabilityKind = "disability_kind", needs, risk, source, consentNote = "consent_note", note, lastContactAt = "last_contact_at", version
    }

    public init(_ entry: CareEntry) {
        categories = entry.categories.map(\.rawValue)
        disabilityKind = entry.disabilityKind
        needs = entry.needs
        risk = entry.risk.rawValue
        source = entry.source.rawValue
        consentNote = entry.consentNote
        note = entry.note
        lastContactAt = entry.lastContactAt?.millisecondsSince1970
        version = entry.version
    }

    public var json: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) }
    }
}
