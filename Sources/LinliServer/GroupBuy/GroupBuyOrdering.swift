import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Orders reaching a buy: from the household's own code, a volunteer, a pasted chain list or a
/// 快团团 / spreadsheet export. Every line of a paste or sheet either becomes an order or waits
/// for a person in the buy's "to fix" list; none is dropped.
struct GroupBuyOrdering: Sendable {
    let services: AppServices
    var buys: GroupBuyService { GroupBuyService(services: services) }

    struct Line: Sendable {
        var itemID: GroupBuyItemID
        var quantity: Int
    }

    /// A line of a paste or sheet, read but not yet matched.
    struct ReadLine: Sendable {
        var line: Int
        var text: String
        var building: String?
        var room: String?
        var lane: String?
        var itemText: String?
        /// The measure word as typed ("份", "箱"): tells items apart when the name does not.
        var unit: String?
        var quantity: Int?
        var followNumber: String?
        var note: String?
        /// Why it cannot be an order as read (a catalogue key).
        var problem: String?
    }

    struct Report: Sendable {
        var orders: Int
        var households: Int
        var waiting: [UnmatchedOrderLine]
    }

    /// What an order asks for: the household (a volunteer's order names it) and the lines.
    struct Asked: Sendable {
        var householdID: PlaceID?
        var lines: [Line]
    }

    /// A household or a volunteer for it sets what it orders.
    func order(_ buyID: GroupBuyID, householdID: PlaceID?, lines: [Line], caller: Caller, traceID: String) async throws -> [GroupBuyOrder] {
        try await order(buyID, asked: .success(Asked(householdID: householdID, lines: lines)), caller: caller, traceID: traceID)
    }

    /// The same, with what the request asked for or what was wrong with it. A fault of the
    /// request is told only once the buy is found and the caller sees it (a buy out of sight
    /// answers 404 whatever was sent), so the API reads the body first.
    ///
    /// Everything the order reads (the buy, a volunteer's household, the items' totals and the
    /// household's rows) is read in the transaction that writes it. An order is the busiest write
    /// of a group buy's three days, and a read of its own beforehand cost more than those reads
    /// on the writer do: a reader's thread woken, a snapshot begun and ended, and a hop back.
    func order(_ buyID: GroupBuyID, asked: Result<Asked, any Error>, caller: Caller, traceID: String) async throws -> [GroupBuyOrder] {
        if case .anonymous = caller { throw AppError.unauthenticated }
        let now = services.now()
        let engine = services.store.engine
        // The household the order is for, as far as the request says: its rows are read with
        // the buy, before anything is checked; who may order for it is checked after the buy.
        let named: PlaceID? = switch caller {
        case .household(let identity): identity.household.id
        case .user: try? asked.get().householdID
        case .anonymous: nil
        }
        return try await buys.writing { db in
            guard let (stored, totals, rows) = try await GroupBuyRecords.forOrdering(buyID: buyID, household: named, engine: engine, on: db) else {
                throw AppError.notFound
            }
            let orderer = try await Self.orderer(of: stored, asked: asked, caller: caller, named: named, on: db)
            guard GroupBuyRules.acceptsOrders(state: stored.buy.state, opensAt: stored.buy.opensAt, closesAt: stored.buy.closesAt, now: now) else {
                throw GroupBuyService.refusal(.windowClosed)
            }
            var items = totals
            // The household's rows, read once: each line's row is found among them, and the
            // answer is them as the lines leave them, not read again.
            var orders = rows
            for line in orderer.lines {
                guard let itemIndex = items.firstIndex(where: { $0.item.id == line.itemID }) else {
                    throw AppError(.badRequest, "group_buy.error.item_unknown", field: "items")
                }
                let orderIndex = orders.firstIndex { $0.itemID == line.itemID }
                let existing = orderIndex.map { orders[$0] }
                let written = try await GroupBuyRecords.setOrder(buyID: buyID, item: items[itemIndex], existing: existing, householdID: orderer.householdID,
                                                                 quantity: line.quantity, source: orderer.source, followNumber: nil, note: nil, by: orderer.user,
                                                                 now: now, on: db)
                items[itemIndex].ordered += (written?.quantity ?? 0) - (existing?.quantity ?? 0)
                switch (orderIndex, written) {
                case (let index?, let row?): orders[index] = row
                case (let index?, nil): orders.remove(at: index)
                case (nil, let row?): orders.append(row)
                case (nil, nil): break
                }
            }
            try await AuditRecords.append([AuditEntry(at: now, actor: orderer.actor, action: "group_buy.order", entity: "group_buy", entityID: "\(buyID)",
                                                      path: stored.path.rawValue, after: "household:\(orderer.householdID)", traceID: traceID)], on: db)
            return orders.sorted { $0.id.rawValue < $1.id.rawValue }
        }
    }

    /// Who orders for which household, and what: a household for itself, or a volunteer for a
    /// household under the buy that they serve.
    private struct Orderer {
        var householdID: PlaceID
        var source: GroupBuyOrderSource
        var user: UserID?
        var actor: String
        var lines: [Line]
    }

    /// The checks keep their order: the buy's 404 before anything about the request, then the
    /// household. `named` is the household whose rows were read with the buy: the caller's own,
    /// or the one the volunteer's request names.
    private static func orderer(of stored: StoredGroupBuy, asked: Result<Asked, any Error>, caller: Caller, named: PlaceID?,
                                on db: any SQLDatabase) async throws -> Orderer {
        switch caller {
        case .anonymous:
            throw AppError.unauthenticated
        case .household(let identity):
            guard stored.path.contains(identity.household.path) else { throw AppError.notFound }
            let householdID = identity.household.id
            return Orderer(householdID: householdID, source: .household, user: nil, actor: "household:\(householdID)", lines: try asked.get().lines)
        case .user(let identity):
            guard GroupBuyService.sees(identity, path: stored.path) else { throw AppError.notFound }
            let request = try asked.get()
            guard let requested = named else { throw AppError.required("household_id") }
            guard let household = try await HouseholdRecords.household(id: requested, on: db), identity.grants.allows(.viewDirectory, at: household.path) else {
                throw AppError(.badRequest, "group_buy.error.household_unknown", field: "household_id")
            }
            guard identity.grants.allows(.leadGroupBuys, at: household.path) || identity.grants.allows(.handOutSupplies, at: household.path) else { throw AppError.forbidden }
            guard stored.path.contains(household.path) else { throw AppError(.badRequest, "group_buy.error.household_elsewhere", field: "household_id") }
            return Orderer(householdID: requested, source: .volunteer, user: identity.user.id, actor: "user:\(identity.user.id)", lines: request.lines)
        }
    }

    /// A pasted chain list (接龙): lines naming a household under the buy become orders. A chain
    /// usually collects one item, named in its heading however the leader likes: `defaultItem`
    /// is that item, for lines that name none the buy knows.
    func chainList(_ buyID: GroupBuyID, text: String, defaultItem: GroupBuyItemID?, identity: UserIdentity, traceID: String) async throws -> Report {
        let stored = try await buys.buy(buyID, capability: .leadGroupBuys, identity: identity)
        guard text.count <= 20_000 else { throw AppError.tooLong("text", max: 20_000) }
        let lines = ChainListParser.lines(of: text)
        var read: [ReadLine] = []
        for result in ChainListParser.parse(text) {
            switch result {
            case .unmatched(let unmatched):
                // Blank lines, the heading and the organiser's example are not orders.
                guard ![.blank, .title, .example].contains(unmatched.reason) else { continue }
                let typed = unmatched.line - 1 < lines.count ? String(lines[unmatched.line - 1]) : ""
                read.append(ReadLine(line: unmatched.line, text: typed, problem: unmatched.reason.catalogueKey))
            case .entry(let entry):
                let typed = entry.line - 1 < lines.count ? String(lines[entry.line - 1]) : ""
                for item in entry.items {
                    read.append(ReadLine(line: entry.line, text: typed, building: entry.building, room: entry.room, lane: entry.lane, itemText: item.name,
                                         unit: item.unit, quantity: item.quantity, note: entry.note))
                }
            }
        }
        return try await apply(read, to: stored, source: .chainList, defaultItem: defaultItem, identity: identity, traceID: traceID)
    }

    /// A 快团团 or spreadsheet export (CSV or XLSX).
    func sheet(_ buyID: GroupBuyID, data: Data, fileName: String?, identity: UserIdentity, traceID: String) async throws -> Report {
        let stored = try await buys.buy(buyID, capability: .leadGroupBuys, identity: identity)
        let rows: [[String]]
        do {
            rows = try Spreadsheet.decode(data, fileName: fileName)
        } catch {
            throw AppError(.badRequest, error.catalogueKey, field: "file")
        }
        let reading: OrderSheetReading
        do {
            reading = try OrderSheet.read(rows)
        } catch {
            throw AppError(.unprocessableContent, "group_buy.sheet.error.no_header", field: "file")
        }
        let read = reading.lines.map { line in
            ReadLine(line: line.row, text: Self.rowText(line), building: line.household?.building, room: line.household?.room, lane: line.household?.lane,
                     itemText: line.item, quantity: line.quantity, followNumber: line.followNumber, note: line.note,
                     problem: line.problems.first.map { "group_buy.sheet.problem.\($0.rawValue)" })
        }
        return try await apply(read, to: stored, source: .sheet, defaultItem: nil, identity: identity, traceID: traceID)
    }

    /// The row as a person would recognise it in the "to fix" list.
    static func rowText(_ line: OrderSheetLine) -> String {
        var parts: [String] = []
        if let number = line.followNumber { parts.append("#\(number)") }
        if let name = line.name { parts.append(name) }
        if let household = line.household { parts.append("\(household.building)-\(household.room)") }
        if let item = line.item { parts.append(item) }
        if let quantity = line.quantity { parts.append("×\(quantity)") }
        if let note = line.note { parts.append(note) }
        return parts.joined(separator: " ")
    }

    /// The buy's item a line means: the item whose name the line's text is, contains or is
    /// contained in; else the only item whose unit the line uses ("2份" when one item comes in
    /// 份); else `fallback` (the chain's own item); else the only item there is.
    static func item(for text: String?, unit: String? = nil, among items: [GroupBuyItem], fallback: GroupBuyItemID? = nil) -> GroupBuyItem? {
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let exact = items.first(where: { $0.name == text }) { return exact }
            let containing = items.filter { text.contains($0.name) || $0.name.contains(text) }
            if containing.count == 1 { return containing.first }
        }
        if let unit {
            let sameUnit = items.filter { $0.unit == unit }
            if sameUnit.count == 1 { return sameUnit.first }
        }
        if let fallback, let item = items.first(where: { $0.id == fallback }) { return item }
        return items.count == 1 ? items.first : nil
    }

    /// Matches lines to households and items, then writes in one transaction: each household's
    /// total per item from this paste or sheet replaces its order, so the same list sent twice
    /// changes nothing. Lines that match nothing wait for a person.
    func apply(_ read: [ReadLine], to stored: StoredGroupBuy, source: GroupBuyOrderSource, defaultItem: GroupBuyItemID?, identity: UserIdentity, traceID: String) async throws -> Report {
        let now = services.now()
        guard GroupBuyRules.acceptsOrders(state: stored.buy.state, opensAt: stored.buy.opensAt, closesAt: stored.buy.closesAt, now: now) else {
            throw GroupBuyService.refusal(.windowClosed)
        }
        guard let place = try await services.store.read({ db in try await DirectoryRecords.place(id: stored.buy.placeID, on: db) }) else { throw AppError.notFound }
        let items = try await services.store.read { db in try await GroupBuyRecords.items(buyID: stored.buy.id, on: db) }
        struct Key: Hashable { var household: PlaceID; var item: GroupBuyItemID }
        var totals: [Key: (quantity: Int, followNumber: String?, note: String?)] = [:]
        var order: [Key] = []
        var waiting: [ReadLine] = []
        // Every address of the paste or sheet looked up in one read, each once.
        struct Address: Hashable { var building: String; var room: String }
        let addresses = Set(read.compactMap { line in line.building.flatMap { building in line.room.map { Address(building: building, room: $0) } } })
        let households = try await services.store.read { db in
            var found: [Address: [HouseholdLabel]] = [:]
            for address in addresses { found[address] = try await HouseholdRecords.find(building: address.building, room: address.room, under: place, on: db) }
            return found
        }
        for var line in read {
            if line.problem == nil, let building = line.building, let room = line.room {
                var found = households[Address(building: building, room: room)] ?? []
                if found.count > 1, let lane = line.lane { found = found.filter { $0.compound.contains("\(lane)弄") } }
                let item = Self.item(for: line.itemText, unit: line.unit, among: items, fallback: defaultItem)
                if found.count == 1, let item, let quantity = line.quantity,
                   (1...GroupBuyRules.maximumOrderQuantity).contains(quantity) {
                    let key = Key(household: found[0].id, item: item.id)
                    if totals[key] == nil { order.append(key) }
                    let previous = totals[key]
                    totals[key] = ((previous?.quantity ?? 0) + quantity, previous?.followNumber ?? line.followNumber, previous?.note ?? line.note)
                    continue
                }
                line.problem = found.isEmpty ? "chain_list.match.none" : found.count > 1 ? "chain_list.match.several"
                    : item == nil ? "group_buy.error.item_unknown" : "group_buy.error.quantity"
            }
            waiting.append(line)
        }
        let engine = services.store.engine
        let buyID = stored.buy.id
        let user = identity.user.id
        let pending = waiting
        let keys = order
        let sums = totals
        return try await buys.writing { db in
            guard let locked = try await GroupBuyRecords.buy(id: buyID, forUpdate: true, engine: engine, on: db), locked.buy.state.takesOrders else {
                throw GroupBuyStoreError.refused(.windowClosed)
            }
            for key in keys {
                guard let item = items.first(where: { $0.id == key.item }), let total = sums[key] else { continue }
                try await GroupBuyRecords.setOrder(buyID: buyID, item: item, householdID: key.household, quantity: min(total.quantity, GroupBuyRules.maximumOrderQuantity),
                                                   source: source, followNumber: total.followNumber, note: total.note, by: user, now: now, on: db)
            }
            for line in pending {
                try await GroupBuyRecords.keepUnmatched(buyID: buyID, source: source, line: line.line, text: String(line.text.prefix(500)),
                                                        problem: line.problem ?? "group_buy.error.quantity", quantity: line.quantity,
                                                        itemText: line.itemText, now: now, on: db)
            }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "group_buy.import", entity: "group_buy", entityID: "\(buyID)",
                                                      path: stored.path.rawValue, after: "\(source.rawValue):\(keys.count) orders, \(pending.count) to fix",
                                                      traceID: traceID)], on: db)
            let households = Set(keys.map(\.household)).count
            return Report(orders: keys.count, households: households, waiting: try await GroupBuyRecords.unmatched(buyID: buyID, on: db))
        }
    }

    /// A person settles a waiting line: files it for the household they chose, or sets it aside
    /// with a reason (kept, never deleted).
    func resolve(_ buyID: GroupBuyID, lineID: Int64, householdID: PlaceID?, itemID: GroupBuyItemID?, quantity: Int?, dismissReason: String?,
                 identity: UserIdentity, traceID: String) async throws {
        let stored = try await buys.buy(buyID, capability: .leadGroupBuys, identity: identity)
        let now = services.now()
        var household: Household?
        if let householdID {
            household = try await services.store.read { db in try await HouseholdRecords.household(id: householdID, on: db) }
            guard let found = household, stored.path.contains(found.path), identity.grants.allows(.viewDirectory, at: found.path) else {
                throw AppError(.badRequest, "group_buy.error.household_elsewhere", field: "household_id")
            }
            guard GroupBuyRules.acceptsOrders(state: stored.buy.state, opensAt: stored.buy.opensAt, closesAt: stored.buy.closesAt, now: now) else {
                throw GroupBuyService.refusal(.windowClosed)
            }
        }
        let user = identity.user.id
        let filing = household
        let engine = services.store.engine
        try await buys.writing { db in
            let lines = try await GroupBuyRecords.unmatched(buyID: buyID, on: db)
            guard let line = lines.first(where: { $0.id == lineID }) else { throw GroupBuyStoreError.notFound }
            if let filing {
                // Every other order of the buy waits for this one, as in `order`, so the sold-out
                // count read below stays true until the commit.
                _ = try await GroupBuyRecords.buy(id: buyID, forUpdate: true, engine: engine, on: db)
                let items = try await GroupBuyRecords.items(buyID: buyID, on: db)
                guard let item = itemID.flatMap({ id in items.first { $0.id == id } }) ?? Self.item(for: line.itemText, among: items) else {
                    throw AppError(.badRequest, "group_buy.error.item_unknown", field: "item_id")
                }
                guard let amount = quantity ?? line.quantity, (1...GroupBuyRules.maximumOrderQuantity).contains(amount) else {
                    throw AppError(.badRequest, "group_buy.error.quantity", field: "quantity")
                }
                let existing = try await GroupBuyRecords.orders(buyID: buyID, householdID: filing.id, on: db).first { $0.itemID == item.id }?.quantity ?? 0
                try await GroupBuyRecords.setOrder(buyID: buyID, item: item, householdID: filing.id, quantity: min(existing + amount, GroupBuyRules.maximumOrderQuantity),
                                                   source: line.source, followNumber: nil, note: nil, by: user, now: now, on: db)
            }
            _ = try await GroupBuyRecords.resolveUnmatched(id: lineID, buyID: buyID, resolution: filing == nil ? "dismissed" : "ordered", reason: dismissReason,
                                                           by: user, now: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "group_buy.fix_line", entity: "group_buy", entityID: "\(buyID)",
                                                      path: stored.path.rawValue, before: line.text, after: filing.map { "household:\($0.id)" } ?? "dismissed",
                                                      traceID: traceID)], on: db)
        }
    }
}
