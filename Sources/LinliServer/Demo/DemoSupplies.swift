import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's relief supplies: the district's relief packages received by the committee
/// two days ago and handed out to every household of the compound (the printed demo households
/// confirmed by their code, the others signed off at the door), one package written off, a
/// company's donation in the pool, and the mutual-aid shelf with a few items, one already taken.
/// Written through the records the server's own paths use, so the ledger holds and the public
/// figures add up.
enum DemoSupplies {
    static let shelf: [(item: String, quantity: Int, note: String?)] = [
        ("布洛芬混悬液", 1, "未开封，儿童可用"), ("挂面", 6, nil), ("N95 口罩", 20, "一次性"), ("婴儿奶粉", 2, "1 段"),
    ]

    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], printed: [PlaceID], now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard let lead = generator.accounts.first(where: { $0.role == .compoundLead }), let leadID = users[lead],
              let staffAccount = generator.accounts.first(where: { $0.role == .committeeStaff }), let staff = users[staffAccount],
              let compound = try await DirectoryRecords.place(id: lead.placeID, on: db) else { return }
        let range = compound.path.descendantRange
        let households = try await db.raw("""
            SELECT id FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before) ORDER BY id
            """).all().map { try $0.decode(column: "id", as: PlaceID.self) }
        guard !households.isEmpty else { return }
        let receivedAt = now.addingTimeInterval(-2 * 86_400)
        let relief = NewSupplyBatch(
            kind: .relief, source: "区政府", supplier: "上海某保供单位", lot: "SH-2022-0415-A",
            contents: [SupplyLine(item: "大米", quantity: 5, unit: "斤"), SupplyLine(item: "食用油", quantity: 1, unit: "桶"),
                       SupplyLine(item: "鸡蛋", quantity: 10, unit: "个"), SupplyLine(item: "蔬菜", quantity: 3, unit: "斤")],
            licences: "食品经营许可证 JY13101150000000", expiry: "2022-10-31", unit: .package, received: households.count + 12,
            placeID: compound.id, allocation: .perHousehold, note: nil)
        let (batch, _) = try await SupplyRecords.receive(relief, by: staff, now: receivedAt, engine: engine, on: db)
        for (index, household) in households.enumerated() {
            let confirmedBy = printed.contains(household) ? "household_code" : SupplyRecords.actor(leadID)
            let note = printed.contains(household) ? nil : "放门口，电话确认"
            _ = try await SupplyRecords.handOut(batchID: batch.id, householdID: household, confirmedBy: confirmedBy, by: leadID, note: note,
                                                now: receivedAt.addingTimeInterval(3_600 + Double(index) * 30), engine: engine, on: db)
        }
        _ = try await SupplyRecords.writeOff(batchID: batch.id, quantity: 1, reason: .damaged, note: "运输途中破损", by: staff,
                                            now: receivedAt.addingTimeInterval(8 * 3_600), engine: engine, on: db)

        let donation = NewSupplyBatch(
            kind: .donation, source: "某公司捐赠", supplier: nil, lot: nil, contents: [SupplyLine(item: "牛奶", quantity: 12, unit: "盒")],
            licences: nil, expiry: "2022-07-15", unit: .unit, received: 40, placeID: compound.id, allocation: .careCategories([.elderlyAlone, .childWithoutAdult]),
            note: "爱心储备池")
        _ = try await SupplyRecords.receive(donation, by: staff, now: now.addingTimeInterval(-86_400), engine: engine, on: db)

        var offered: [ShelfItem] = []
        for (index, item) in shelf.enumerated() {
            offered.append(try await SupplyRecords.offer(placeID: compound.id, item: item.item, quantity: item.quantity, note: item.note, offeredBy: SupplyRecords.actor(leadID),
                                                         now: now.addingTimeInterval(-Double(6 - index) * 3_600), engine: engine, on: db))
        }
        if let first = offered.first {
            _ = try await SupplyRecords.take(itemID: first.id, takenBy: SupplyRecords.actor(leadID), now: now.addingTimeInterval(-3_600), engine: engine, on: db)
        }
    }
}
