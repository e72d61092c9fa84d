import Foundation
import LinliCore
import LinliStore
import SQLKit
import Synchronization

/// Each district's reports, indexed in memory for matching (`RumourIndex`), caught up from the
/// database before every match. The database stays the truth: the index holds only rows read
/// back from it, so a report whose transaction rolled back never enters it, and reports written
/// by another node are found at the next catch-up. Reading every stored text and normalising it
/// again for each new report was what made matching slow.
final class RumourMatcher: Sendable {
    private struct DistrictIndex {
        var index = RumourIndex<RumourID>()
        var indexed: Set<Int64> = []
        var highest: Int64 = 0
    }

    private let districts = Mutex<[Int64: DistrictIndex]>([:])

    /// Ids below the highest indexed one are read again this far back: on PostgreSQL a report
    /// with a smaller id can commit after a larger one, and must not be skipped for ever.
    static let lookBack: Int64 = 500
    static let catchUpPage = 5_000

    /// The best matchable rumour for `fingerprint` in `district`, with its score and decision
    /// (`same` or `suggest`); nil when nothing is near. Runs inside the report's transaction.
    func bestMatch(for fingerprint: RumourFingerprint, district: PlaceID?, on db: any SQLDatabase) async throws -> RumourIndex<RumourID>.Match? {
        try await catchUp(district: district, on: db)
        let key = district?.rawValue ?? 0
        let matches = districts.withLock { $0[key]?.index.matches(for: fingerprint) ?? [] }
        guard !matches.isEmpty else { return nil }
        // Many reports of one rumour match alike: its best report speaks for it.
        var best: [RumourID: RumourIndex<RumourID>.Match] = [:]
        for match in matches where (best[match.key]?.score ?? -1) < match.score { best[match.key] = match }
        let open = try await RumourRecords.matchable(Array(best.keys), on: db)
        return best.values.filter { open.contains($0.key) }
            .max { $0.score != $1.score ? $0.score < $1.score : $0.key > $1.key }
    }

    /// Catches the district's index up on a read, before the report's write: after a restart the
    /// first report reads and fingerprints every stored report, which must not hold the writer.
    func warm(district: PlaceID?, store: Store) async throws {
        try await store.read { db in try await self.catchUp(district: district, on: db) }
    }

    private func catchUp(district: PlaceID?, on db: any SQLDatabase) async throws {
        let key = district?.rawValue ?? 0
        while true {
            let from = districts.withLock { max(0, ($0[key]?.highest ?? 0) - Self.lookBack) }
            let entries = try await RumourRecords.indexEntries(district: district, after: from, limit: Self.catchUpPage, on: db)
            let added = districts.withLock { all -> Int in
                var entry = all[key] ?? DistrictIndex()
                var added = 0
                for row in entries where entry.indexed.insert(row.reportID.rawValue).inserted {
                    entry.index.insert(row.rumourID, text: row.text)
                    entry.highest = max(entry.highest, row.reportID.rawValue)
                    added += 1
                }
                all[key] = entry
                return added
            }
            // A full page of rows already held means the look-back window alone filled it.
            if entries.count < Self.catchUpPage || added == 0 { return }
        }
    }
}
