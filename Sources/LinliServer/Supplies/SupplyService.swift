import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// The rules around relief supplies shared by the API and the pages: who may receive, hand out,
/// write off and recall, each change audited in the transaction that writes it and its ledger entry.
struct SupplyService: Sendable {
    let services: AppServices

    struct HandOut: Sendable {
        var householdID: PlaceID
        var householdCode: String?
        var note: String?
    }

    /// A batch with what the ledger says of it under the place asked about.
    struct Figured: Sendable {
        var batch: SupplyBatch
        var figures: LedgerFigures
    }

    static func refusalError(_ error: SupplyError) -> AppError {
        switch error {
        case .notFound: AppError.notFound
        case .refused(let refusal): AppError(.conflict, "supplies.error.\(refusal.rawValue)")
        case .householdOutside: AppError(.badRequest, "supplies.error.household_outside", field: "household_id")
        case .notInserted: AppError(.conflict, "supplies.error.not_saved")
        }
    }

    /// Runs a write, turning the store's refusals into answers.
    func writing<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await services.store.write(body)
        } catch let error as SupplyError {
            throw Self.refusalError(error)
        }
    }

    /// The batch if the caller hands out or keeps supplies at its place, above it or under it (a
    /// building leader hands out the compound's batch to their building); else 404.
    func visibleBatch(_ id: SupplyBatchID, identity: UserIdentity) async throws -> (SupplyBatch, PlacePath) {
        let found = try await services.store.read { db in try await SupplyRecords.batch(id: id, on: db) }
        guard let found, identity.grants.roles.contains(where: { role in
            !role.role.capabilities.isDisjoint(with: [.handOutSupplies, .manageSupplies]) && (role.path.contains(found.path) || found.path.contains(role.path))
        }) else { throw AppError.notFound }
        return (found.batch, found.path)
    }

    func receive(_ new: NewSupplyBatch, identity: UserIdentity, traceID: String) async throws -> SupplyBatch {
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        return try await writing { db in
            let (batch, path) = try await SupplyRecords.receive(new, by: user, now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "supplies.receive", entity: "supply_batch", entityID: "\(batch.id)",
                                                      path: path.rawValue, after: "\(batch.received) \(batch.allocation.ledgerText)", traceID: traceID)], on: db)
            return batch
        }
    }

    /// One household's share, confirmed by its code (guesses limited as when opening the
    /// household) or signed off by the caller.
    func handOut(_ batchID: SupplyBatchID, _ handOut: HandOut, identity: UserIdentity, remoteIP: String, traceID: String) async throws -> SupplyHandout {
        let household = try await services.store.read { db in try await HouseholdRecords.household(id: handOut.householdID, on: db) }
        guard let household, identity.grants.allows(.viewDirectory, at: household.path) else { throw AppError.notFound }
        guard identity.grants.allows(.handOutSupplies, at: household.path) else { throw AppError.forbidden }
        var confirmedBy = SupplyRecords.actor(identity.user.id)
        if let code = handOut.householdCode {
            try await CardCustodyService(services: services).checkHouseholdCode(code, householdID: household.id, remoteIP: remoteIP)
            confirmedBy = "household_code"
        }
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        let confirmation = confirmedBy
        return try await writing { db in
            let done = try await SupplyRecords.handOut(batchID: batchID, householdID: household.id, confirmedBy: confirmation, by: user, note: handOut.note,
                                                       now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "supplies.hand_out", entity: "supply_batch", entityID: "\(batchID)",
                                                      path: household.path.rawValue, after: "\(household.id) \(done.quantity) \(confirmation)", traceID: traceID)], on: db)
            return done
        }
    }

    /// A leader signs off every household under a place they delivered (a building, a
    /// compound) at once; each household still gets only its own share, once.
    func handOutAll(_ batchID: SupplyBatchID, under placeID: PlaceID, note: String?, identity: UserIdentity, traceID: String) async throws -> SupplyRecords.BulkHandOut {
        let (_, batchPath) = try await visibleBatch(batchID, identity: identity)
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError(.badRequest, "supplies.error.place_outside", field: "place_id") }
        guard identity.grants.allows(.handOutSupplies, at: place.path) else { throw AppError.forbidden }
        guard batchPath.contains(place.path) else { throw AppError(.badRequest, "supplies.error.place_outside", field: "place_id") }
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        return try await writing { db in
            let range = place.path.descendantRange
            let households = try await db.raw("""
                SELECT id FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before) ORDER BY path
                """).all().map { try $0.decode(column: "id", as: PlaceID.self) }
            let done = try await SupplyRecords.handOutMany(batchID: batchID, households: households, confirmedBy: SupplyRecords.actor(user), by: user, note: note,
                                                           now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "supplies.hand_out_all", entity: "supply_batch", entityID: "\(batchID)",
                                                      path: place.path.rawValue, after: "place:\(place.id) \(done.handedOut) households \(done.quantity)", traceID: traceID)], on: db)
            return done
        }
    }

    func writeOff(_ batchID: SupplyBatchID, quantity: Int, reason: WriteOffReason, note: String?, identity: UserIdentity, traceID: String) async throws -> SupplyBatch {
        let (_, path) = try await visibleBatch(batchID, identity: identity)
        guard identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        return try await writing { db in
            let batch = try await SupplyRecords.writeOff(batchID: batchID, quantity: quantity, reason: reason, note: note, by: user, now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "supplies.write_off", entity: "supply_batch", entityID: "\(batchID)",
                                                      path: path.rawValue, after: "\(quantity) \(reason.rawValue)", traceID: traceID)], on: db)
            return batch
        }
    }

    /// The batch with the ledger's figures under its own place.
    func figured(_ batch: SupplyBatch, path: PlacePath) async throws -> Figured {
        let figures = try await services.store.read { db in try await SupplyRecords.figures(batchIDs: [batch.id], under: path, on: db) }
        return Figured(batch: batch, figures: figures[batch.id] ?? LedgerFigures())
    }

    /// The public page's place: a compound or any place above it. Buildings and households have
    /// no page, so nobody learns who received what by narrowing the place down to one door.
    func transparencyPlace(_ id: PlaceID) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, place.level <= .compound else { throw AppError.notFound }
        return place
    }

    /// Relief and purchased batches concerning the place, with what the ledger says of each.
    func transparency(_ place: Place) async throws -> [Figured] {
        try await services.store.read { db in
            let batches = try await SupplyRecords.batches(concerning: place.path, on: db).filter { $0.kind != .donation }
            let figures = try await SupplyRecords.figures(batchIDs: batches.map(\.id), under: place.path, on: db)
            return batches.map { Figured(batch: $0, figures: figures[$0.id] ?? LedgerFigures()) }
        }
    }

    /// Households under the place that received `lot`; the read is audited, as it lists addresses.
    func recall(place: Place, lot: String, identity: UserIdentity, traceID: String) async throws -> [RecallLine] {
        let lines = try await services.store.read { db in try await SupplyRecords.recall(lot: lot, under: place.path, on: db) }
        try await services.audit([AuditEntry(at: services.now(), actor: "user:\(identity.user.id)", action: "supplies.recall", entity: "place", entityID: "\(place.id)",
                                             path: place.path.rawValue, after: "\(lot): \(lines.count)", traceID: traceID)])
        return lines
    }

    /// Donation batches with stock left, and the shelf's items not yet taken.
    func pool(_ place: Place) async throws -> (donations: [SupplyBatch], shelf: [ShelfItem]) {
        try await services.store.read { db in
            let donations = try await SupplyRecords.batches(concerning: place.path, kind: .donation, on: db).filter { $0.stock > 0 }
            return (donations, try await SupplyRecords.shelf(under: place.path, on: db))
        }
    }

    func offer(place: Place, item: String, quantity: Int, note: String?, identity: UserIdentity, traceID: String) async throws -> ShelfItem {
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        return try await writing { db in
            let offered = try await SupplyRecords.offer(placeID: place.id, item: item, quantity: quantity, note: note, offeredBy: SupplyRecords.actor(user),
                                                        now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "supplies.shelf_offer", entity: "shelf_item", entityID: "\(offered.id)",
                                                      path: place.path.rawValue, after: "\(quantity)", traceID: traceID)], on: db)
            return offered
        }
    }

    func take(_ id: ShelfItemID, identity: UserIdentity, traceID: String) async throws -> ShelfItem {
        let found = try await services.store.read { db in try await SupplyRecords.shelfItem(id: id, on: db) }
        guard let found, identity.grants.allows(.viewDirectory, at: found.path) else { throw AppError.notFound }
        guard identity.grants.allows(.handOutSupplies, at: found.path) else { throw AppError.forbidden }
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        return try await writing { db in
            let taken = try await SupplyRecords.take(itemID: id, takenBy: SupplyRecords.actor(user), now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "supplies.shelf_take", entity: "shelf_item", entityID: "\(id)",
                                                      path: found.path.rawValue, traceID: traceID)], on: db)
            return taken
        }
    }

    /// A household's receipts for staff who see its directory entry, or for the household itself.
    func receipts(_ id: PlaceID, caller: Caller) async throws -> [HouseholdReceipt] {
        switch caller {
        case .anonymous: throw AppError.unauthenticated
        case .household(let identity): guard identity.household.id == id else { throw AppError.notFound }
        case .user(let identity):
            let household = try await services.store.read { db in try await HouseholdRecords.household(id: id, on: db) }
            guard let household, identity.grants.allows(.viewDirectory, at: household.path) else { throw AppError.notFound }
        }
        return try await services.store.read { db in try await SupplyRecords.receipts(householdID: id, on: db) }
    }
}
