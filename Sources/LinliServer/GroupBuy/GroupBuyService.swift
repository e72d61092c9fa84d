import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// The rules around suppliers and group buys shared by the API and the pages: who may see and
/// move a buy, and each step written with its audit entry in one transaction.
struct GroupBuyService: Sendable {
    let services: AppServices

    /// Days (the driver's test) are Shanghai days, as the people typing them count them.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PageTime.shanghai
        return calendar
    }()

    static func refusal(_ refusal: GroupBuyRefusal, field: String? = nil) -> AppError {
        AppError(.conflict, "group_buy.error.\(refusal.rawValue)", field: field)
    }

    /// Runs a write, turning the store's refusals into answers.
    func writing<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await services.store.write(body)
        } catch GroupBuyStoreError.refused(let refusal) {
            throw Self.refusal(refusal)
        } catch GroupBuyStoreError.notFound {
            throw AppError.notFound
        }
    }

    func audit(_ db: any SQLDatabase, identity: UserIdentity, action: String, entity: String, id: String, path: PlacePath, before: String? = nil, after: String? = nil,
               traceID: String) async throws {
        try await AuditRecords.append([AuditEntry(at: services.now(), actor: "user:\(identity.user.id)", action: action, entity: entity, entityID: id,
                                                  path: path.rawValue, before: before, after: after, traceID: traceID)], on: db)
    }

    // MARK: Suppliers

    struct NewSupplier: Sendable {
        var name: String
        var contact: String?
        var licenceNumber: String
        var deliveryPass: String?
        var driverTestDay: String?
    }

    func addSupplier(_ new: NewSupplier, at placeID: PlaceID, identity: UserIdentity, traceID: String) async throws -> Supplier {
        let place = try await services.place(placeID, capability: .manageSupplies, identity: identity)
        let now = services.now()
        return try await writing { db in
            let supplier = try await GroupBuyRecords.createSupplier(placeID: placeID, name: new.name, contact: new.contact, licenceNumber: new.licenceNumber,
                                                                    deliveryPass: new.deliveryPass, driverTestDay: new.driverTestDay, by: identity.user.id, now: now, on: db)
            try await audit(db, identity: identity, action: "supplier.add", entity: "supplier", id: "\(supplier.id)", path: place.path, after: new.name, traceID: traceID)
            return supplier
        }
    }

    /// The supplier if its place is within the caller's or above it (suppliers serve everything
    /// under their place), else 404.
    func supplier(_ id: SupplierID, identity: UserIdentity) async throws -> (Supplier, PlacePath) {
        let found = try await services.store.read { db in try await GroupBuyRecords.supplier(id: id, on: db) }
        guard let found, Self.sees(identity, path: found.1) else { throw AppError.notFound }
        return found
    }

    static func sees(_ identity: UserIdentity, path: PlacePath) -> Bool {
        identity.grants.scopes(for: .viewDirectory).contains { $0.contains(path) || path.contains($0) }
    }

    func approveSupplier(_ id: SupplierID, days: Int, identity: UserIdentity, traceID: String) async throws -> Supplier {
        let (supplier, path) = try await supplier(id, identity: identity)
        guard identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
        let until = services.now().addingTimeInterval(Double(days) * 86_400)
        try await writing { db in
            try await GroupBuyRecords.approveSupplier(id: id, until: until, by: identity.user.id, on: db)
            try await audit(db, identity: identity, action: "supplier.approve", entity: "supplier", id: "\(id)", path: path,
                            before: supplier.approvedUntil.map { "\($0.millisecondsSince1970)" }, after: "\(until.millisecondsSince1970)", traceID: traceID)
        }
        return try await self.supplier(id, identity: identity).0
    }

    func setDriverTest(_ id: SupplierID, day: String, identity: UserIdentity, traceID: String) async throws -> Supplier {
        let (supplier, path) = try await supplier(id, identity: identity)
        guard identity.grants.allows(.manageSupplies, at: path) || identity.grants.allows(.leadGroupBuys, at: path) else { throw AppError.forbidden }
        try await writing { db in
            try await GroupBuyRecords.setDriverTest(id: id, day: day, on: db)
            try await audit(db, identity: identity, action: "supplier.driver_test", entity: "supplier", id: "\(id)", path: path,
                            before: supplier.driverTestDay, after: day, traceID: traceID)
        }
        return try await self.supplier(id, identity: identity).0
    }

    func suppliers(for placeID: PlaceID, identity: UserIdentity) async throws -> [Supplier] {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        return try await services.store.read { db in try await GroupBuyRecords.suppliers(servingPath: place.path, on: db) }
    }

    // MARK: Buys

    struct NewBuy: Sendable {
        var placeID: PlaceID
        var supplierID: SupplierID
        var leaderUserID: UserID?
        var title: String
        var deliveryPlan: String?
        var opensAt: Date?
        var closesAt: Date?
        var items: [GroupBuyRecords.NewItem]
    }

    /// Opens a draft. Its leader must live under the buy's compound; anyone else leads only as a
    /// proxy named by someone who approves buys there. Leaders from outside the compound who
    /// doubled prices were the problem this rule answers.
    func create(_ new: NewBuy, identity: UserIdentity, traceID: String) async throws -> GroupBuyID {
        let place = try await services.place(new.placeID, capability: .leadGroupBuys, identity: identity)
        guard place.level == .compound || place.level == .building else { throw AppError(.badRequest, "group_buy.error.place_level", field: "place_id") }
        let (supplier, supplierPath) = try await supplier(new.supplierID, identity: identity)
        guard supplierPath.contains(place.path) else { throw AppError(.badRequest, "group_buy.error.supplier_elsewhere", field: "supplier_id") }
        _ = supplier
        let leaderID = new.leaderUserID ?? identity.user.id
        let compoundPath = try await compoundPath(of: place)
        let livesThere = try await services.store.read { db in try await Self.livesUnder(compoundPath, userID: leaderID, on: db) }
        let basis: String
        var proxyNamedBy: UserID?
        if livesThere {
            basis = "resident"
        } else if identity.grants.allows(.manageSupplies, at: place.path) {
            basis = "proxy"
            proxyNamedBy = identity.user.id
        } else {
            throw AppError(.conflict, "group_buy.error.leader_not_resident", field: new.leaderUserID == nil ? nil : "leader_user_id")
        }
        if let other = new.leaderUserID, other != identity.user.id {
            let exists = try await services.store.read { db in try await db.raw("SELECT 1 AS one FROM users WHERE id = \(bind: other)").first() != nil }
            guard exists else { throw AppError.invalid("leader_user_id") }
        }
        let now = services.now()
        let proxy = proxyNamedBy
        return try await writing { db in
            let id = try await GroupBuyRecords.createBuy(placeID: place.id, supplierID: new.supplierID, leader: leaderID, leaderBasis: basis, proxyNamedBy: proxy,
                                                         title: new.title, deliveryPlan: new.deliveryPlan, opensAt: new.opensAt, closesAt: new.closesAt,
                                                         items: new.items, now: now, on: db)
            try await audit(db, identity: identity, action: "group_buy.create", entity: "group_buy", id: "\(id)", path: place.path, after: new.title, traceID: traceID)
            return id
        }
    }

    func compoundPath(of place: Place) async throws -> PlacePath {
        guard place.level == .building, let parent = place.parentID else { return place.path }
        let found = try await services.store.read { db in try await DirectoryRecords.place(id: parent, on: db) }
        return found?.path ?? place.path
    }

    static func livesUnder(_ path: PlacePath, userID: UserID, on db: any SQLDatabase) async throws -> Bool {
        guard let phone = try await db.raw("SELECT phone FROM users WHERE id = \(bind: userID)").first()?.decode(column: "phone", as: String.self) else { return false }
        return try await db.raw("""
            SELECT 1 AS one FROM residents r JOIN households h ON h.id = r.household_id
            WHERE r.phone = \(bind: phone) AND h.path >= \(bind: path.rawValue) AND h.path < \(bind: path.rawValue + "0") LIMIT 1
            """).first() != nil
    }

    /// The buy if the caller sees its place or one under it (a building leader sees a
    /// compound-wide buy), else 404.
    func buy(_ id: GroupBuyID, identity: UserIdentity) async throws -> StoredGroupBuy {
        let found = try await services.store.read { db in try await GroupBuyRecords.buy(id: id, on: db) }
        guard let found, Self.sees(identity, path: found.path) else { throw AppError.notFound }
        return found
    }

    /// The buy for a step needing `capability` at its place: 404 outside, 403 without it.
    func buy(_ id: GroupBuyID, capability: Capability, identity: UserIdentity) async throws -> StoredGroupBuy {
        let found = try await buy(id, identity: identity)
        guard identity.grants.allows(capability, at: found.path) else { throw AppError.forbidden }
        return found
    }

    func setItems(_ id: GroupBuyID, items: [GroupBuyRecords.NewItem], identity: UserIdentity, traceID: String) async throws {
        let stored = try await buy(id, capability: .leadGroupBuys, identity: identity)
        guard stored.buy.state.offerEditable else { throw Self.refusal(.offerLocked) }
        let engine = services.store.engine
        try await writing { db in
            guard let locked = try await GroupBuyRecords.buy(id: id, forUpdate: true, engine: engine, on: db), locked.buy.state.offerEditable else {
                throw GroupBuyStoreError.refused(.offerLocked)
            }
            try await GroupBuyRecords.replaceItems(buyID: id, items: items, on: db)
            // A changed offer needs approving again.
            if locked.buy.state != .draft { try await GroupBuyRecords.setState(buyID: id, to: .draft, now: services.now(), on: db) }
            try await audit(db, identity: identity, action: "group_buy.items", entity: "group_buy", id: "\(id)", path: stored.path, after: "\(items.count)", traceID: traceID)
        }
    }

    /// Moves a buy on. Approving needs `manageSupplies`; the rest `leadGroupBuys`. A failed buy
    /// owes every order its money back, written in the same transaction.
    func move(_ id: GroupBuyID, to target: GroupBuyState, identity: UserIdentity, traceID: String) async throws -> StoredGroupBuy {
        let capability: Capability = GroupBuyRules.needsApproval(target) ? .manageSupplies : .leadGroupBuys
        let stored = try await buy(id, capability: capability, identity: identity)
        let now = services.now()
        let engine = services.store.engine
        let calendar = Self.calendar
        try await writing { db in
            guard let locked = try await GroupBuyRecords.buy(id: id, forUpdate: true, engine: engine, on: db),
                  let (supplier, _) = try await GroupBuyRecords.supplier(id: locked.buy.supplierID, on: db) else { throw GroupBuyStoreError.notFound }
            let items = try await GroupBuyRecords.items(buyID: id, on: db)
            let orders = try await GroupBuyRecords.orders(buyID: id, on: db)
            do throws(GroupBuyRefusal) {
                try GroupBuyRules.check(from: locked.buy.state, to: target, supplier: supplier, items: items, orders: orders, now: now, calendar: calendar)
            } catch {
                throw GroupBuyStoreError.refused(error)
            }
            try await GroupBuyRecords.setState(buyID: id, to: target, approvedBy: target == .approved ? identity.user.id : nil, now: now, on: db)
            if target == .failed { try await GroupBuyRecords.refundAll(buyID: id, on: db) }
            try await GroupBuyMessages.enqueue(for: target, buyID: id, path: stored.path, now: now, on: db)
            try await audit(db, identity: identity, action: "group_buy.state", entity: "group_buy", id: "\(id)", path: stored.path,
                            before: locked.buy.state.rawValue, after: target.rawValue, traceID: traceID)
        }
        return try await buy(id, identity: identity)
    }

    /// Joins a small building's buy into a compound-wide one of the same supplier, so their
    /// orders count toward one minimum.
    func join(_ id: GroupBuyID, into targetID: GroupBuyID, identity: UserIdentity, traceID: String) async throws -> StoredGroupBuy {
        let stored = try await buy(id, capability: .leadGroupBuys, identity: identity)
        let target = try await buy(targetID, capability: .leadGroupBuys, identity: identity)
        let now = services.now()
        let engine = services.store.engine
        try await writing { db in
            guard let source = try await GroupBuyRecords.buy(id: id, forUpdate: true, engine: engine, on: db),
                  let into = try await GroupBuyRecords.buy(id: targetID, forUpdate: true, engine: engine, on: db) else { throw GroupBuyStoreError.notFound }
            guard id != targetID, source.buy.state == .open || source.buy.state == .closed, into.buy.state == .open,
                  into.buy.supplierID == source.buy.supplierID, into.path.contains(source.path), into.path != source.path else {
                throw GroupBuyStoreError.refused(.cannotJoin)
            }
            let sourceItems = try await GroupBuyRecords.items(buyID: id, on: db)
            let targetItems = try await GroupBuyRecords.items(buyID: targetID, on: db)
            var map: [GroupBuyItemID: GroupBuyItemID] = [:]
            for item in sourceItems {
                guard let same = targetItems.first(where: { $0.name == item.name && $0.priceFen == item.priceFen && $0.unit == item.unit }) else {
                    throw GroupBuyStoreError.refused(.cannotJoin)
                }
                map[item.id] = same.id
            }
            try await GroupBuyRecords.join(buyID: id, into: targetID, itemMap: map, now: now, on: db)
            try await audit(db, identity: identity, action: "group_buy.join", entity: "group_buy", id: "\(id)", path: stored.path,
                            before: source.buy.state.rawValue, after: "joined:\(target.buy.id)", traceID: traceID)
        }
        return try await buy(id, identity: identity)
    }
}
