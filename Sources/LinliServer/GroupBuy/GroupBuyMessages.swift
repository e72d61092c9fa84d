import Foundation
import LinliCore
import LinliStore
import SQLKit

/// What the compound's chat groups hear of a buy, through their robots: it opened, it failed
/// (everyone is refunded), the goods are at the gate (and how much of the order came), the goods
/// are disinfected and on their way to the doors. Group chats are Chinese, the default language;
/// the messages name the buy, never a household.
enum GroupBuyMessages {
    static func message(for state: GroupBuyState, buy: GroupBuy, items: [GroupBuyItem], orders: [GroupBuyOrder]) -> NotificationMessage? {
        let language = Language.default
        let totals = GroupBuyRules.totals(orders)
        let lines = items.map { item in
            switch state {
            case .atGate: Catalogue.text("group_buy.notify.count_line", language, ["item": item.name, "arrived": "\(item.arrived ?? 0)", "ordered": "\(totals[item.id, default: 0])", "unit": item.unit])
            default: Catalogue.text("group_buy.notify.item_line", language, ["item": item.name, "price": MedicineYuan.text(fen: item.priceFen), "unit": item.unit])
            }
        }.joined(separator: "；")
        let key: String
        switch state {
        case .open: key = "opened"
        case .failed: key = "failed"
        case .atGate: key = "at_gate"
        case .disinfected: key = "disinfected"
        default: return nil
        }
        let arguments = ["title": buy.title, "items": lines, "closes": buy.closesAt.map { PageTime.dateTime($0, language) } ?? "—"]
        return NotificationMessage(kind: "group_buy.\(key)", subjectID: "group_buy:\(buy.id)",
                                   title: Catalogue.text("group_buy.notify.\(key).title", language, arguments),
                                   text: Catalogue.text("group_buy.notify.\(key).text", language, arguments),
                                   link: "/group-buys/\(buy.id)")
    }

    /// Queues the message for the robots of the buy's place and the places above it, in the
    /// transaction that moved the buy.
    static func enqueue(for state: GroupBuyState, buyID: GroupBuyID, path: PlacePath, now: Date, on db: any SQLDatabase) async throws {
        guard let stored = try await GroupBuyRecords.buy(id: buyID, on: db) else { return }
        let items = try await GroupBuyRecords.items(buyID: buyID, on: db)
        let orders = try await GroupBuyRecords.orders(buyID: buyID, on: db)
        guard let message = message(for: state, buy: stored.buy, items: items, orders: orders) else { return }
        let targets = try await NotifyRecords.targets(at: path.ids, on: db)
        guard !targets.isEmpty else { return }
        try await NotifyRecords.enqueue(message, to: targets, at: now, on: db)
    }
}
