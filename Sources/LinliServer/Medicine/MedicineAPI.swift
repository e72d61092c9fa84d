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

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("medicine/teams/:id/batches") { request, context -> MedicineBatchView in
            let identity = try context.requireUser()
            let id: TeamID = try context.parameters.id()
            let team = try await services.store.read { db in try await MedicineRecords.team(id: id, on: db) }
            guard let team, identity.grants.allows(.viewDirectory, at: team.path) else { throw AppError.notFound }
            guard identity.grants.allows(.manageMedicine, at: team.path) else { throw AppError.forbidden }
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
    }

    /// The batch with its per-hospital lists, for a reader who may see health data at its place;
    /// every read is audited.
    func view(_ id: MedicineBatchID, identity: UserIdentity, traceID: String?) async throws -> MedicineBatchView {
        let read = try await services.store.read { db -> (batch: MedicineBatch, path: PlacePath, requests: Int, inputs: [HospitalListInput], cardsOut: Int)? in
            guard let found = try await MedicineRecords.batch(id: id, on: db) else { return nil }
            return (found.batch, found.path, found.requests, try await MedicineRecords.hospitalListInputs(batch: id, on: db), try await MedicineRecords.cardsOut(batch: id, on: db))
        }
        guard let read, identity.grants.allows(.viewDirectory, at: read.path) else { throw AppError.notFound }
        guard identity.grants.allows(.viewSensitive, at: read.path) else { throw AppError.forbidden }
        try await services.audit([AuditEntry(
            at: services.now(), actor: "user:\(identity.user.id)", action: "medicine.batch.read", entity: "medicine_batch", entityID: "\(id)",
            path: read.path.rawValue, traceID: traceID
        )])
        return MedicineBatchView(
            id: read.batch.id, teamID: read.batch.teamID, kind: read.batch.kind.rawValue, night: read.batch.night, status: read.batch.status.rawValue,
            requests: read.requests, cardsOut: read.cardsOut, hospitals: MedicineRules.hospitalLists(read.inputs)
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
    var hospitals: [HospitalList]
    enum CodingKeys: String, CodingKey { case id, teamID = "team_id", kind, night, status, requests, cardsOut = "cards_out", hospitals }
}
