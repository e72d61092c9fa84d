import Foundation
import LinliCore
import SQLKit

/// A district's request policy as stored, with who changed it last.
public struct StoredRequestPolicy: Sendable, Hashable {
    public var districtID: PlaceID
    public var policy: DistrictRequestPolicy
    public var updatedAt: Date
    public var updatedBy: String

    public init(districtID: PlaceID, policy: DistrictRequestPolicy, updatedAt: Date, updatedBy: String) {
        self.districtID = districtID
        self.policy = policy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// Rows of `request_policies`: one per district that set its own.
public enum RequestPolicyRecords {
    public static func policy(districtID: PlaceID, on db: any SQLDatabase) async throws -> StoredRequestPolicy? {
        guard let row = try await db.raw("SELECT * FROM request_policies WHERE district_id = \(bind: districtID)").first() else { return nil }
        let decoder = JSONDecoder()
        let deadlines: DeadlinePolicy
        do {
            deadlines = try decoder.decode(DeadlinePolicy.self, from: Data(try row.decode(column: "deadlines", as: String.self).utf8))
        } catch is DeadlinePolicyError {
            // Deadlines are checked when they are set, but a row saved before a bound existed can
            // break it. Filing in that district must go on, so such a row gives way to the
            // standard deadlines instead of failing every filing; the API shows what is in force.
            deadlines = .standard
        }
        let rules = try decoder.decode([RoutingRule].self, from: Data(try row.decode(column: "routing_rules", as: String.self).utf8))
        return StoredRequestPolicy(
            districtID: districtID, policy: DistrictRequestPolicy(deadlines: deadlines, rules: rules),
            updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)),
            updatedBy: try row.decode(column: "updated_by", as: String.self)
        )
    }

    public static func save(_ stored: StoredRequestPolicy, on db: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let deadlines = String(decoding: try encoder.encode(stored.policy.deadlines), as: UTF8.self)
        let rules = String(decoding: try encoder.encode(stored.policy.rules), as: UTF8.self)
        try await db.raw("""
            INSERT INTO request_policies (district_id, deadlines, routing_rules, updated_at, updated_by)
            VALUES (\(bind: stored.districtID), \(bind: deadlines), \(bind: rules), \(bind: stored.updatedAt.millisecondsSince1970), \(bind: stored.updatedBy))
            ON CONFLICT (district_id) DO UPDATE SET deadlines = excluded.deadlines, routing_rules = excluded.routing_rules,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """).run()
    }
}
