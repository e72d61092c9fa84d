import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Medicine runs over JSON: forming a team's batch now, and reading a batch with its
/// per-hospital lists. Outside one's places a team or batch answers 404, like everything else;
/// inside them without the capability, 403.
struct MedicineAPI {
    let services: AppServices

    struct FormBody: Decodable { var kind: String? }
    struct CutoffBody: Decodable { var cutoff: String? }
    struct RunnerBody: Decodable {
        var hospital: String?
        var user_id: Int64?
    }
    struct RunnersBody: Decodable { var runners: [RunnerBody]? }
    struct CloseBody: Decodable { var money_explanation: String? }

    /// More hospitals than any team's night went to.
    static let maximumRunners = 100

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("medicine/teams/:id/batches") { request, context -> MedicineBatchView in
            let identity = try context.requireUser()
            let id: TeamID = try context.parameters.id()
            let team = try await managedTeam(id, identity: identity)
            let body = try await request.decodeJSON(as: FormBody.self, context: context)
            guard let raw = body.kind, !raw.isEmpty else { throw AppError.required("kind") }
            guard let kind = MedicineBatchKind(rawValue: raw) else { throw AppError.invalid("kind") }
            let now = services.now()
            let formed = try await services.store.write { db in
                let formed = try await MedicineRecords.formBatch(team: id, kind: kind, night: MedicineRules.night(at: now), at: now, on: db)
                try await AuditRecords.append([AuditEntry(
                    at: now, actor: "user:\(identity.user.id)", action: "medicine.batch.form", entity: "medicine_batch", entityID: "\(formed.batchID)",
                    path: team.path.rawValue, after: "\(formed.requests)", traceID: context.traceID
                )], on: db)
                return formed
            }
            return try await view(formed.batchID, identity: identity, traceID: context.traceID)
        }
        router.get("medicine/batches/:id") { _, context -> MedicineBatchView in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            return try await view(id, identity: identity, traceID: context.traceID)
        }
        router.put("medicine/teams/:id/cutoff") { request, context -> MedicineCutoffView in
            let identity = try context.requireUser()
            let id: TeamID = try context.parameters.id()
            let team = try await managedTeam(id, identity: identity)
            let body = try await request.decodeJSON(as: CutoffBody.self, context: context)
            guard let text = body.cutoff, !text.isEmpty else { throw AppError.required("cutoff") }
            guard let minute = CareSchedule.minute(ofClock: text) else { throw AppError.invalid("cutoff") }
            try await setCutoff(id, path: team.path, minute: minute, identity: identity, traceID: context.traceID)
            return MedicineCutoffView(teamID: id, cutoff: CareSchedule.clock(minute) ?? text)
        }
        router.put("medicine/batches/:id/runners") { request, context -> MedicineBatchView in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            let path = try await managedBatch(id, identity: identity)
            let body = try await request.decodeJSON(as: RunnersBody.self, context: context)
            guard let lines = body.runners else { throw AppError.required("runners") }
            guard lines.count <= Self.maximumRunners else { throw AppError.invalid("runners") }
            var chosen: [(hospital: String, userID: UserID)] = []
            for (index, line) in lines.enumerated() {
                guard let hospital = try MedicineRequestAPI.text(line.hospital, field: "runners[\(index)].hospital") else { throw AppError.required("runners[\(index)].hospital") }
                guard let user = line.user_id else { throw AppError.required("runners[\(index)].user_id") }
                guard user > 0 else { throw AppError.invalid("runners[\(index)].user_id") }
                guard !chosen.contains(where: { $0.hospital == hospital }) else { throw AppError.invalid("runners[\(index)].hospital") }
                chosen.append((hospital, UserID(user)))
            }
            try await assignRunners(id, path: path, chosen, identity: identity, traceID: context.traceID)
            return try await view(id, identity: identity, traceID: context.traceID)
        }
        router.post("medicine/batches/:id/close") { request, context -> MedicineBatchView in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            let path = try await managedBatch(id, identity: identity)
            let body = try await request.decodeJSON(as: CloseBody.self, context: context)
            let explanation = try MedicineRequestAPI.note(body.money_explanation, field: "money_explanation")
            try await close(id, path: path, explanation: explanation, identity: identity, traceID: context.traceID)
            return try await view(id, identity: identity, traceID: context.traceID)
        }
    }

    /// Sets a team's nightly cut-off, minutes after local midnight.
    func setCutoff(_ id: TeamID, path: PlacePath, minute: Int, identity: UserIdentity, traceID: String) async throws {
        let now = services.now()
        try await services.store.write { db in
            let before = try await MedicineRequestRecords.cutoff(team: id, on: db)
            try await MedicineRequestRecords.setCutoff(team: id, minute: minute, on: db)
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine.team.cutoff", entity: "team", entityID: "\(id)", path: path.rawValue,
                before: CareSchedule.clock(before), after: CareSchedule.clock(minute), traceID: traceID
            )], on: db)
        }
    }

    /// Assigns a batch's runners, one per hospital of its lists, each able to run medicine at the
    /// batch's place (400 naming the line otherwise).
    func assignRunners(_ id: MedicineBatchID, path: PlacePath, _ runners: [(hospital: String, userID: UserID)], identity: UserIdentity, traceID: String) async throws {
        let now = services.now()
        try await services.store.write { db in
            let hospitals = Set(try await MedicineRequestRecords.hospitals(batch: id, on: db))
            for (index, runner) in runners.enumerated() {
                guard hospitals.contains(runner.hospital) else { throw AppError.invalid("runners[\(index)].hospital") }
                let roles = try await UserRecords.roles(userID: runner.userID, on: db)
                guard Grants(roles: roles).allows(.runMedicine, at: path) else {
                    throw AppError(.badRequest, "medicine.batch.error.not_a_runner", field: "runners[\(index)].user_id")
                }
            }
            try await MedicineRequestRecords.setRunners(batch: id, runners, at: now, on: db)
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine.batch.runners", entity: "medicine_batch", entityID: "\(id)", path: path.rawValue,
                after: runners.map { "\($0.hospital)=\($0.userID)" }.joined(separator: ";"), traceID: traceID
            )], on: db)
        }
    }

    /// Closes a formed batch, or refuses (409, the key naming why) while it is collecting, while an
    /// item has no outcome, while a card is out, or while the money does not reconcile and
    /// `explanation` is empty.
    func close(_ id: MedicineBatchID, path: PlacePath, explanation: String?, identity: UserIdentity, traceID: String) async throws {
        let now = services.now()
        try await services.store.write { db in
            guard let found = try await MedicineRecords.batch(id: id, on: db) else { throw AppError.notFound }
            let money = MedicineRules.batchMoney(try await MedicineRequestRecords.money(batch: id, on: db))
            if let refusal = MedicineRules.closeRefusal(
                status: found.batch.status, itemsOpen: try await MedicineRequestRecords.itemsOpen(batch: id, on: db),
                cardsOut: try await MedicineRecords.cardsOut(batch: id, on: db), money: money, explanation: explanation
            ) {
                throw AppError(.conflict, "medicine.batch.error.\(refusal.rawValue)", field: refusal == .moneyMismatch ? "money_explanation" : "status",
                               arguments: ["count": "\(money.unreconciled.count)"])
            }
            guard try await MedicineRequestRecords.close(batch: id, by: identity.user.id, explanation: money.unreconciled.isEmpty ? nil : explanation, at: now, on: db) else {
                throw AppError(.conflict, "medicine.batch.error.already_closed", field: "status")
            }
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine.batch.close", entity: "medicine_batch", entityID: "\(id)", path: path.rawValue,
                after: "\(money.advanced)/\(money.spent)/\(money.changeReturned)", traceID: traceID
            )], on: db)
        }
    }

    /// A medicine team's place and path, when the caller may manage medicine runs there (404
    /// outside their places, 403 without the capability).
    func managedTeam(_ id: TeamID, identity: UserIdentity) async throws -> (placeID: PlaceID, path: PlacePath) {
        let team = try await services.store.read { db in try await MedicineRecords.team(id: id, on: db) }
        guard let team, identity.grants.allows(.viewDirectory, at: team.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageMedicine, at: team.path) else { throw AppError.forbidden }
        return team
    }

    /// A batch's path, when the caller may manage medicine runs there (404 outside their places, 403 without the capability).
    func managedBatch(_ id: MedicineBatchID, identity: UserIdentity) async throws -> PlacePath {
        let found = try await services.store.read { db in try await MedicineRecords.batch(id: id, on: db) }
        guard let found, identity.grants.allows(.viewDirectory, at: found.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageMedicine, at: found.path) else { throw AppError.forbidden }
        return found.path
    }

    /// The batch with its per-hospital lists, for a reader who may see health data at its place;
    /// every read is audited.
    func view(_ id: MedicineBatchID, identity: UserIdentity, traceID: String?) async throws -> MedicineBatchView {
        let read = try await services.store.read { db -> (batch: MedicineBatch, path: PlacePath, requests: Int, inputs: [HospitalListInput], cardsOut: Int, itemsOpen: Int, money: MedicineBatchMoney, runners: [String: String])? in
            guard let found = try await MedicineRecords.batch(id: id, on: db) else { return nil }
            return (found.batch, found.path, found.requests, try await MedicineRecords.hospitalListInputs(batch: id, on: db), try await MedicineRecords.cardsOut(batch: id, on: db),
                    try await MedicineRequestRecords.itemsOpen(batch: id, on: db), MedicineRules.batchMoney(try await MedicineRequestRecords.money(batch: id, on: db)),
                    try await MedicineBoardRecords.runners(batch: id, on: db))
        }
        guard let read, identity.grants.allows(.viewDirectory, at: read.path) else { throw AppError.notFound }
        guard identity.grants.allows(.viewSensitive, at: read.path) else { throw AppError.forbidden }
        try await services.audit([AuditEntry(
            at: services.now(), actor: "user:\(identity.user.id)", action: "medicine.batch.read", entity: "medicine_batch", entityID: "\(id)",
            path: read.path.rawValue, traceID: traceID
        )])
        return MedicineBatchView(
            id: read.batch.id, teamID: read.batch.teamID, kind: read.batch.kind.rawValue, night: read.batch.night, status: read.batch.status.rawValue,
            requests: read.requests, cardsOut: read.cardsOut, itemsOpen: read.itemsOpen, money: MedicineBatchMoneyView(read.money),
            moneyExplanation: read.batch.moneyExplanation, hospitals: MedicineRules.hospitalLists(read.inputs).map { list in
                MedicineHospitalListView(list: list, runner: read.runners[list.hospital])
            }
        )
    }
}

struct MedicineBatchView: ResponseCodable {
    var id: MedicineBatchID
    var teamID: TeamID
    var kind: String
    var night: String
    var status: String
    var requests: Int
    var cardsOut: Int
    var itemsOpen: Int
    var money: MedicineBatchMoneyView
    var moneyExplanation: String?
    var hospitals: [MedicineHospitalListView]
    enum CodingKeys: String, CodingKey {
        case id, teamID = "team_id", kind, night, status, requests, cardsOut = "cards_out", itemsOpen = "items_open", money
        case moneyExplanation = "money_explanation", hospitals
    }
}

/// A hospital's list with the runner assigned to that hospital, by name.
struct MedicineHospitalListView: Codable, Sendable {
    var source: MedicineSource
    var hospital: String
    var window: String
    var runner: String?
    var lines: [HospitalListLine]

    init(list: HospitalList, runner: String?) {
        (source, hospital, window, lines) = (list.source, list.hospital, list.window, list.lines)
        self.runner = runner
    }
}

struct MedicineBatchMoneyView: Codable, Sendable {
    var cashAdvanced: Int
    var cashSpent: Int
    var changeReturned: Int
    var difference: Int
    var unreconciledRequests: [HelpRequestID]
    enum CodingKeys: String, CodingKey {
        case cashAdvanced = "cash_advanced", cashSpent = "cash_spent", changeReturned = "change_returned", difference, unreconciledRequests = "unreconciled_requests"
    }

    init(_ money: MedicineBatchMoney) {
        (cashAdvanced, cashSpent, changeReturned, difference, unreconciledRequests) = (money.advanced, money.spent, money.changeReturned, money.difference, money.unreconciled)
    }
}

struct MedicineCutoffView: ResponseCodable {
    var teamID: TeamID
    var cutoff: String
    enum CodingKeys: String, CodingKey { case teamID = "team_id", cutoff }
}
