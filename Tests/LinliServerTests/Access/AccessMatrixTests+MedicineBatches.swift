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
        ("PUT /api/v1/medicine/teams/{id}/cutoff", [
            Probe(label: "cut-off, no such time", uri: "/api/v1/medicine/teams/{id}/cutoff", target: .medicineTeam, rule: .capability(.manageMedicine, wayDown: false), allowed: .badRequest,
                  body: #"{"cutoff":"99:99"}"#, field: "cutoff"),
        ]),
        ("PUT /api/v1/medicine/batches/{id}/runners", [
            Probe(label: "runners, none sent", uri: "/api/v1/medicine/batches/{id}/runners", target: .medicineBatch, rule: .capability(.manageMedicine, wayDown: false), allowed: .badRequest,
                  body: "{}", field: "runners"),
        ]),
        ("POST /api/v1/medicine/batches/{id}/close", [
            Probe(label: "close, explanation too long", uri: "/api/v1/medicine/batches/{id}/close", target: .medicineBatch, rule: .capability(.manageMedicine, wayDown: false),
                  allowed: .badRequest, body: #"{"money_explanation":"\#(String(repeating: "x", count: 501))"}"#, field: "money_explanation"),
        ]),
        ("PUT /api/v1/requests/{id}/medicine", [
            Probe(label: "items, none sent", uri: "/api/v1/requests/{id}/medicine", target: .medicineRequest, rule: .capability(.runMedicine, wayDown: false), allowed: .badRequest,
                  body: #"{"items":[]}"#, field: "items"),
        ]),
        ("GET /api/v1/requests/{id}/medicine", [
            Probe(label: "medicine part", uri: "/api/v1/requests/{id}/medicine", target: .medicineRequest, rule: .ownRequestOrCapability(.viewSensitive), allowed: .ok),
        ]),
        ("POST /api/v1/requests/{id}/medicine/verification", [
            Probe(label: "visit record checked", uri: "/api/v1/requests/{id}/medicine/verification", target: .medicineRequest, rule: .capability(.runMedicine, wayDown: false),
                  allowed: .ok, body: "{}"),
        ]),
        ("PUT /api/v1/requests/{id}/medicine/money", [
            Probe(label: "money, negative", uri: "/api/v1/requests/{id}/medicine/money", target: .medicineRequest, rule: .capability(.runMedicine, wayDown: false), allowed: .badRequest,
                  body: #"{"cash_spent":-1,"change_returned":0}"#, field: "cash_spent"),
        ]),
        ("PUT /api/v1/medicine/items/{id}/box-photo", [
            Probe(label: "box photo, empty", uri: "/api/v1/medicine/items/{id}/box-photo", target: .medicineItem, rule: .capability(.runMedicine, wayDown: false), allowed: .badRequest,
                  body: "", field: "photo"),
        ]),
        ("GET /api/v1/medicine/items/{id}/box-photo", [
            Probe(label: "box photo", uri: "/api/v1/medicine/items/{id}/box-photo", target: .medicineItem, rule: .capability(.viewSensitive, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/medicine/items/{id}/outcome", [
            Probe(label: "outcome, unknown", uri: "/api/v1/medicine/items/{id}/outcome", target: .medicineItem, rule: .capability(.runMedicine, wayDown: false), allowed: .badRequest,
                  body: #"{"outcome":"lost"}"#, field: "outcome"),
        ]),
    ]

    /// Gives every caller `.medicineRequest` and `.medicineItem` aims: a medicine request with one
    /// item in the household of each `.request` aim, with the same relation, and the missing id.
    static func addMedicineRequests(to callers: [Caller], app: TestApp) async throws -> [Caller] {
        var made: [Int64: (request: Int64, item: Int64)] = [:]
        var result: [Caller] = []
        for var caller in callers {
            var requestAims: [Aim] = []
            var itemAims: [Aim] = []
            for aim in caller.targets[.request] ?? [] {
                guard aim.relation != .missing else { requestAims.append(aim); itemAims.append(aim); continue }
                if made[aim.id] == nil {
                    made[aim.id] = try await app.store.write { db -> (Int64, Int64) in
                        let food = try #require(try await RequestRecords.request(id: HelpRequestID(aim.id), on: db))
                        let household = try #require(try await HouseholdRecords.household(id: food.request.householdID, on: db))
                        let request = HelpRequest(
                            id: 0, householdID: household.id, category: .medicine, urgency: .normal, description: "矩阵测试：配药", channel: .volunteerOnBehalf, filedBy: .system,
                            status: .new, createdAt: Date(timeIntervalSince1970: 1_650_000_000), acceptBy: Date(timeIntervalSince1970: 1_650_003_600), doneBy: Date(timeIntervalSince1970: 1_650_086_400)
                        )
                        let stored = try await RequestRecords.insert(request, household: household, on: db)
                        try await MedicineRecords.store(
                            requestID: stored.request.id, householdID: household.id, teamID: nil, queue: .nightly, cashAdvanced: 0, followUpOf: nil, path: stored.path,
                            districtID: stored.districtID, items: [MedicineItem(id: 0, requestID: stored.request.id, drug: "氨氯地平片", quantity: 1, kind: .chronicRefill, source: .hospitalWindow, hospital: "仁济医院")],
                            on: db
                        )
                        let item = try #require(try await MedicineRequestRecords.part(requestID: stored.request.id, on: db)?.items.first?.id)
                        // Each item has a box photo on disk, so reading it is allowed or refused, never missing.
                        let folder = app.services.filesDirectory.appendingPathComponent("medicine/box-photos", isDirectory: true)
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]).write(to: folder.appendingPathComponent("\(item)-matrix.jpg"))
                        try await MedicineRequestRecords.setBoxPhoto(item: item, name: "\(item)-matrix.jpg", on: db)
                        return (stored.request.id.rawValue, item.rawValue)
                    }
                }
                let ids = try #require(made[aim.id])
                requestAims.append(Aim(aim.relation, ids.request))
                itemAims.append(Aim(aim.relation, ids.item))
            }
            caller.targets[.medicineRequest] = requestAims
            caller.targets[.medicineItem] = itemAims
            result.append(caller)
        }
        return result
    }

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
