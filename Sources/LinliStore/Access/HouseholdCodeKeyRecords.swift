import Foundation
import SQLKit

/// The fingerprint of the key a database's codes are keyed with, kept in the database so a node
/// or a restore with another key is refused at start instead of refusing every resident's code.
public enum HouseholdCodeKeyRecords {
    public static func fingerprint(on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT fingerprint FROM household_code_key").first()?.decode(column: "fingerprint", as: String.self)
    }

    /// Records `key` as the database's key when it has none yet; returns the fingerprint in force.
    public static func adopt(_ key: HouseholdCodeKey, on db: any SQLDatabase) async throws -> String {
        try await db.raw("INSERT INTO household_code_key (id, fingerprint) VALUES (1, \(bind: key.fingerprint)) ON CONFLICT (id) DO NOTHING").run()
        return try await fingerprint(on: db) ?? key.fingerprint
    }

    /// True when some household has a code: then only the key they were keyed with can check them.
    public static func hasCodes(on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM households WHERE code_hash IS NOT NULL LIMIT 1").first() != nil
    }
}
