import Crypto
import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A pasted chain list (接龙) turned into requests: every line is parsed and matched to a
/// household under the place; lines that match no household, or several, are shown for a person
/// to fix and never dropped. A line naming another compound is shown too, never filed for a
/// room of the same number here.
struct ChainListImport: Sendable {
    let services: AppServices

    struct Row: Sendable {
        var line: Int
        var text: String
        var household: HouseholdLabel?
        /// Why the line files nothing: a parser reason, or no / several households.
        var problem: String?
        /// The households the line could mean, when it means several (two compounds each have a
        /// 1号楼 101): a person picks one.
        var candidates: [HouseholdLabel] = []
    }

    /// The most households a line offers to pick from; a line matching more says too little.
    static let maximumCandidates = 20

    /// Applies the households a person picked (`"l" + line number → household id`: a key of digits
    /// alone would read as an array index in a form) for lines that
    /// matched several; a pick that is not one of the line's candidates is ignored.
    static func resolve(_ rows: [Row], picks: [String: String]) -> [Row] {
        rows.map { row in
            guard row.household == nil, !row.candidates.isEmpty, let picked = picks["l\(row.line)"].flatMap({ PlaceID($0) }),
                  let household = row.candidates.first(where: { $0.id == picked }) else { return row }
            var resolved = row
            resolved.household = household
            resolved.problem = nil
            return resolved
        }
    }

    /// The place, if the caller's roles cover it (404 otherwise).
    func place(_ placeID: PlaceID, identity: UserIdentity) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        return place
    }

    func match(_ message: String, under placeID: PlaceID, identity: UserIdentity) async throws -> (Place, [Row]) {
        guard message.count <= 20_000 else { throw AppError.tooLong("message", max: 20_000) }
        let lines = ChainListParser.lines(of: message)
        let parsed = ChainListParser.parse(message)
        return try await services.store.read { db in
            guard let place = try await DirectoryRecords.place(id: placeID, on: db), identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            var rows: [Row] = []
            for result in parsed {
                let text = result.line - 1 < lines.count ? String(lines[result.line - 1]) : ""
                switch result {
                case .unmatched(let unmatched):
                    rows.append(Row(line: unmatched.line, text: text, household: nil, problem: unmatched.reason.catalogueKey))
                case .entry(let entry):
                    var found = try await HouseholdRecords.find(building: entry.building, room: entry.room, under: place, on: db)
                    if found.count > 1, let lane = entry.lane {
                        found = found.filter { $0.compound.contains("\(lane)弄") }
                    }
                    switch found.count {
                    case 1 where ChainListCompound.namesAnother(text, than: found[0].compound):
                        rows.append(Row(line: entry.line, text: text, household: nil, problem: "chain_list.match.other_compound"))
                    case 1: rows.append(Row(line: entry.line, text: text, household: found[0], problem: nil))
                    case 0: rows.append(Row(line: entry.line, text: text, household: nil, problem: "chain_list.match.none"))
                    default:
                        let candidates = found.count <= Self.maximumCandidates ? found : []
                        rows.append(Row(line: entry.line, text: text, household: nil, problem: "chain_list.match.several", candidates: candidates))
                    }
                }
            }
            return (place, rows)
        }
    }

    /// Files one request per matched line. Each line's idempotency key comes from the message and
    /// the line, so submitting the same paste again files nothing twice.
    func file(_ rows: [Row], message: String, category: RequestCategory, identity: UserIdentity, traceID: String) async throws -> (filed: Int, refused: [(Row, String)]) {
        var filed = 0
        var refused: [(Row, String)] = []
        for row in rows {
            guard let household = row.household else { continue }
            let filing = Filing(householdID: household.id, residentID: nil, category: category, description: row.text, channel: .chainListImport)
            do {
                let result = try await RequestIntake(services: services).file(filing, by: .user(id: identity.user.id), grants: identity.grants, idempotencyKey: Self.idempotencyKey(message: message, line: row.line), traceID: traceID)
                if result.created { filed += 1 }
            } catch let error as AppError {
                refused.append((row, error.key))
            }
        }
        return (filed, refused)
    }

    /// The key a line of a pasted message files under: the same message pasted again names the
    /// same keys, and files nothing twice. The demo's history files its chain list under it too.
    static func idempotencyKey(message: String, line: Int) -> String {
        let digest = SHA256.hash(data: Data(message.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        return "chain:\(digest):\(line)"
    }
}
