import Foundation
import LinliCore
import SQLKit

/// One line of the append-only audit log: who did or read what, when, with before and after.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var at: Date
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String?
    public var path: String?
    public var before: String?
    public var after: String?
    /// The HTTP request that did it (its `X-Request-ID`); the column is `request_id`.
    public var traceID: String?

    public init(at: Date, actor: String, action: String, entity: String, entityID: String? = nil, path: String? = nil, before: String? = nil, after: String? = nil, traceID: String? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.path = path
        self.before = before
        self.after = after
        self.traceID = traceID
    }
}

public enum AuditRecords {
    public static func append(_ entries: [AuditEntry], on db: any SQLDatabase) async throws {
        try await db.insertRows([rows(entries)])
    }

    /// The rows of `entries`, to append with other tables' rows (`SQLDatabase.insertRows(_:)`).
    public static func rows(_ entries: [AuditEntry]) -> RowsToInsert {
        RowsToInsert(
            into: "audit_log",
            columns: ["at", "actor", "action", "entity", "entity_id", "path", "before_json", "after_json", "request_id"],
            rows: entries.map { [$0.at.millisecondsSince1970, $0.actor, $0.action, $0.entity, $0.entityID, $0.path, $0.before, $0.after, $0.traceID] }
        )
    }

    public static func entries(entity: String? = nil, entityID: String? = nil, action: String? = nil, limit: Int = 100, on db: any SQLDatabase) async throws -> [AuditEntry] {
        var sql: SQLQueryString = "SELECT at, actor, action, entity, entity_id, path, before_json, after_json, request_id FROM audit_log WHERE 1 = 1"
        if let entity { sql += " AND entity = \(bind: entity)" }
        if let entityID { sql += " AND entity_id = \(bind: entityID)" }
        if let action { sql += " AND action = \(bind: action)" }
        sql += " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await db.raw(sql).all().map { row in
            AuditEntry(
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                entity: try row.decode(column: "entity", as: String.self),
                entityID: try row.decode(column: "entity_id", as: String?.self),
                path: try row.decode(column: "path", as: String?.self),
                before: try row.decode(column: "before_json", as: String?.self),
                after: try row.decode(column: "after_json", as: String?.self),
                traceID: try row.decode(column: "request_id", as: String?.self)
            )
        }
    }
}

/// What an export's audit entry records: how many residents, how many of them with sensitive notes.
public struct ExportAuditSummary: Codable, Sendable {
    public var rows: Int
    public var sensitiveResidents: Int
    public var via: String

    public init(rows: Int, sensitiveResidents: Int, via: String) {
        self.rows = rows
        self.sensitiveResidents = sensitiveResidents
        self.via = via
    }

    enum CodingKeys: String, CodingKey { case rows, sensitiveResidents = "sensitive_residents", via }

    public var json: String? { RegisterRecords.json(self) }
}
