import Foundation
import LinliCore
import LinliStore
import Testing

extension AccessMatrixTests {
    /// Medicine batches: a medicine team (and its formed batch) at each place a `.place` aim
    /// names, with the same relation; MedicineNightTests checks the answers themselves.
    static let medicineBatchMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/medicine/teams/{id}/batches", [
            Probe(label: "form, unknown kind", uri: "/api/v1/medicine/teams/{id}/batches", target: .medicineTeam, rule: .capability(.manageMedicine, wayDown: false), allowed: .badRequest,
                  body: #"{"kind":"weekly"}"#, field: "kind"),
        ]),
        ("GET /api/v1/medicine/batches/{id}", [
            Probe(label: "batch", uri: "/api/v1/medicine/batches/{id}", target: .medicineBatch, rule: .capability(.viewSensitive, wayDown: false), allowed: .ok),
        ]),
    ]

    /// Gives every caller `.medicineTeam` and `.medicineBatch` aims: a team at each place its
    /// `.place` aims name, with a nightly batch formed, and the missing id.
    static func addMedicineTeams(to callers: [Caller], app: TestApp) async throws -> [Caller] {
        var teams: [Int64: (team: Int64, batch: Int64)] = [:]
        var result: [Caller] = []
        for var caller in callers {
            var teamAims: [Aim] = []
            var batchAims: [Aim] = []
            for aim in caller.targets[.place] ?? [] {
                guard aim.relation != .missing else { teamAims.append(aim); batchAims.append(aim); continue }
                if teams[aim.id] == nil {
                    let place = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: PlaceID(aim.id), on: db) })
                    let teamID = TeamID(rawValue: 800_000 + Int64(teams.count))
                    let formed = try await app.store.write { db in
                        try await DirectoryRecords.insert(teams: [Team(id: teamID, name: "矩阵配药队", kind: .medicineTeam, placeID: place.id, path: place.path, districtID: place.districtID, memberIDs: [])], on: db)
                        return try await MedicineRecords.formBatch(team: teamID, kind: .nightly, night: "2022-04-15", at: Date(timeIntervalSince1970: 1_650_024_000), on: db)
                    }
                    teams[aim.id] = (teamID.rawValue, formed.batchID.rawValue)
                }
                let made = try #require(teams[aim.id])
                teamAims.append(Aim(aim.relation, made.team))
                batchAims.append(Aim(aim.relation, made.batch))
            }
            caller.targets[.medicineTeam] = teamAims
            caller.targets[.medicineBatch] = batchAims
            result.append(caller)
        }
        return result
    }
}
