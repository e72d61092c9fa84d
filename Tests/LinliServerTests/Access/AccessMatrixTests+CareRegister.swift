import Foundation
import LinliCore
import LinliStore
import SQLKit
import Testing

extension AccessMatrixTests {
    /// Reading the register needs view_sensitive, keeping it manage_care, full phones in a file
    /// export_unmasked (README, "Who sees what").
    static let careRegisterMatrix: [(route: String, probes: [Probe])] = [
        ("GET /api/v1/care/entries", [
            Probe(label: "care list", uri: "/api/v1/care/entries?place={id}", target: .place, rule: .capability(.viewSensitive, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/care/entries/counts", [
            Probe(label: "care counts", uri: "/api/v1/care/entries/counts?place={id}", target: .place, rule: .capability(.viewSensitive, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/care/entries", [
            // A resident who lives elsewhere: 400 "resident_id" once the household is in scope.
            Probe(label: "register", uri: "/api/v1/care/entries", target: .household, rule: .capability(.manageCare, wayDown: false), allowed: .badRequest,
                  body: #"{"household_id":{id},"resident_id":999999999,"categories":["dementia"],"risk":"low","source":"survey"}"#, field: "resident_id"),
        ]),
        ("GET /api/v1/care/entries/export", [
            Probe(label: "care export", uri: "/api/v1/care/entries/export?place={id}&format=csv", target: .place, rule: .capability(.manageCare, wayDown: false), allowed: .ok),
            Probe(label: "care export unmasked", uri: "/api/v1/care/entries/export?place={id}&format=csv&unmasked=true", target: .place, rule: .capability(.exportUnmasked, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/care/entries/import", [
            Probe(label: "empty care import", uri: "/api/v1/care/entries/import?place={id}", target: .place, rule: .capability(.manageCare, wayDown: false), allowed: .badRequest, body: "", field: "file"),
        ]),
        ("GET /api/v1/care/entries/{id}", [
            Probe(label: "care entry", uri: "/api/v1/care/entries/{id}", target: .careEntry, rule: .capability(.viewSensitive, wayDown: false), allowed: .ok),
        ]),
        ("PUT /api/v1/care/entries/{id}", [
            Probe(label: "edit care entry", uri: "/api/v1/care/entries/{id}", target: .careEntry, rule: .capability(.manageCare, wayDown: false), allowed: .badRequest,
                  body: #"{"version":1,"categories":[],"risk":"low","source":"survey"}"#, field: "categories"),
        ]),
        ("POST /api/v1/care/entries/{id}/contacts", [
            Probe(label: "care contact", uri: "/api/v1/care/entries/{id}/contacts", target: .careEntry, rule: .capability(.manageCare, wayDown: false), allowed: .ok),
        ]),
    ]

    /// Gives every caller a care entry target beside each household it aims at: the entry of
    /// that household's first resident (made here), with the same relation; a missing household
    /// becomes a missing entry.
    static func addCareEntryTargets(to callers: [Caller], store: Store) async throws -> [Caller] {
        let households = Set(callers.flatMap { $0.targets[.household] ?? [] }.filter { $0.relation != .missing }.map(\.id))
        let entries = try await store.write { db -> [Int64: Int64] in
            var entries: [Int64: Int64] = [:]
            for household in households.sorted() {
                guard let detail = try await HouseholdRecords.detail(id: PlaceID(household), on: db), let resident = detail.residents.first else { continue }
                if let existing = try await CareRecords.entry(residentID: resident.id, on: db) {
                    entries[household] = existing.id.rawValue
                    continue
                }
                let now = Date()
                let entry = CareEntry(id: 0, residentID: resident.id, householdID: detail.household.id, categories: [.dementia], risk: .medium, source: .survey,
                                      path: resident.path, districtID: resident.districtID, createdAt: now, updatedAt: now)
                entries[household] = try await CareRecords.insert(entry, on: db).id.rawValue
            }
            return entries
        }
        return callers.map { caller in
            var caller = caller
            caller.targets[.careEntry] = (caller.targets[.household] ?? []).map { aim in
                aim.relation == .missing ? aim : Aim(aim.relation, entries[aim.id] ?? missing)
            }
            return caller
        }
    }
}
