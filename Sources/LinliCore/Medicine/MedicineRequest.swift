import Foundation

/// The money of one medicine request, in fen (0.01 yuan): what the household handed over, what
/// the runner spent and the change given back. Unsettled amounts count as nothing, so a request
/// with cash advanced and no receipt yet shows the whole advance as the difference.
public struct MedicineMoney: Sendable, Hashable, Codable {
    public var advanced: Int
    public var spent: Int?
    public var changeReturned: Int?
    public var note: String?

    public init(advanced: Int, spent: Int? = nil, changeReturned: Int? = nil, note: String? = nil) {
        self.advanced = advanced
        self.spent = spent
        self.changeReturned = changeReturned
        self.note = note
    }

    /// What is not accounted for: the advance less what was spent and given back. Zero when the
    /// money reconciles; negative when the runner paid more than the household handed over.
    public var difference: Int { advanced - (spent ?? 0) - (changeReturned ?? 0) }
    public var reconciles: Bool { difference == 0 }
}

/// What a medicine request carries beyond its text: the team that runs it, its queue and batch,
/// the visit-record check, the money and the items.
public struct MedicineRequestPart: Sendable, Hashable {
    public var requestID: HelpRequestID
    public var householdID: PlaceID
    public var teamID: TeamID?
    public var queue: MedicineQueue
    public var batchID: MedicineBatchID?
    public var batchStatus: MedicineBatchStatus?
    public var followUpOf: HelpRequestID?
    public var verifiedBy: UserID?
    public var verifiedAt: Date?
    public var money: MedicineMoney
    public var items: [MedicineItem]

    public init(requestID: HelpRequestID, householdID: PlaceID, teamID: TeamID?, queue: MedicineQueue, batchID: MedicineBatchID?, batchStatus: MedicineBatchStatus?,
                followUpOf: HelpRequestID?, verifiedBy: UserID?, verifiedAt: Date?, money: MedicineMoney, items: [MedicineItem]) {
        self.requestID = requestID
        self.householdID = householdID
        self.teamID = teamID
        self.queue = queue
        self.batchID = batchID
        self.batchStatus = batchStatus
        self.followUpOf = followUpOf
        self.verifiedBy = verifiedBy
        self.verifiedAt = verifiedAt
        self.money = money
        self.items = items
    }

    /// Every item has come back with an outcome: the run for this request is over.
    public var everyItemHasOutcome: Bool { !items.isEmpty && items.allSatisfy { $0.outcome != nil } }
}

/// A medicine team and the place it serves.
public struct MedicineTeamPlace: Sendable, Hashable {
    public var id: TeamID
    public var placeID: PlaceID
    public var path: PlacePath

    public init(id: TeamID, placeID: PlaceID, path: PlacePath) {
        self.id = id
        self.placeID = placeID
        self.path = path
    }
}

extension MedicineRules {
    /// The team that runs a household's medicine: the medicine team of the nearest place above
    /// it (a compound's team before its committee's, the committee's before the sub-district's).
    /// Among teams of one place, the first made.
    public static func team(for household: PlacePath, among teams: [MedicineTeamPlace]) -> MedicineTeamPlace? {
        teams.filter { $0.path.contains(household) }
            .max { ($0.path.ids.count, -$0.id.rawValue) < ($1.path.ids.count, -$1.id.rawValue) }
    }

    /// Where a follow-up goes: one level up, to the medicine team of the nearest place above the
    /// team that could not get the drug; the same team when there is none above it.
    public static func teamAbove(_ team: MedicineTeamPlace, among teams: [MedicineTeamPlace]) -> MedicineTeamPlace {
        let above = teams.filter { $0.path.contains(team.path) && $0.path.ids.count < team.path.ids.count }
        return above.max { ($0.path.ids.count, -$0.id.rawValue) < ($1.path.ids.count, -$1.id.rawValue) } ?? team
    }

    /// The items a follow-up asks for: what each item short of bought still lacks, everything
    /// else as it was (drug, where to get it, cold chain), with no outcome yet.
    public static func followUpItems(_ items: [MedicineItem]) -> [MedicineItem] {
        items.compactMap { item in
            let missing = shortfall(of: item)
            guard missing > 0 else { return nil }
            var next = item
            next.id = 0
            next.quantity = missing
            next.outcome = nil
            next.quantityBought = nil
            next.outcomeNote = nil
            next.boxPhoto = nil
            return next
        }
    }

    /// The money of a batch: the sums, and the requests whose money does not reconcile.
    public static func batchMoney(_ money: [(requestID: HelpRequestID, money: MedicineMoney)]) -> MedicineBatchMoney {
        var total = MedicineBatchMoney(advanced: 0, spent: 0, changeReturned: 0, unreconciled: [])
        for (requestID, entry) in money {
            // Each amount is bounded where it enters; the sum of a batch's stays far from overflow,
            // and adding with overflow checks keeps a corrupt row from trapping the server.
            total.advanced = total.advanced.addingReportingOverflow(entry.advanced).partialValue
            total.spent = total.spent.addingReportingOverflow(entry.spent ?? 0).partialValue
            total.changeReturned = total.changeReturned.addingReportingOverflow(entry.changeReturned ?? 0).partialValue
            if !entry.reconciles { total.unreconciled.append(requestID) }
        }
        total.unreconciled.sort()
        return total
    }
}

/// A batch's money, in fen.
public struct MedicineBatchMoney: Sendable, Hashable, Codable {
    public var advanced: Int
    public var spent: Int
    public var changeReturned: Int
    /// Requests whose advance is not matched by what was spent and given back.
    public var unreconciled: [HelpRequestID]

    public init(advanced: Int, spent: Int, changeReturned: Int, unreconciled: [HelpRequestID]) {
        self.advanced = advanced
        self.spent = spent
        self.changeReturned = changeReturned
        self.unreconciled = unreconciled
    }

    public var difference: Int { advanced &- spent &- changeReturned }
}

/// Why a batch cannot close yet.
public enum MedicineCloseRefusal: String, Sendable, Hashable, CaseIterable {
    case stillCollecting = "still_collecting"
    case alreadyClosed = "already_closed"
    case itemsOpen = "items_open"
    case cardsOut = "cards_out"
    case moneyMismatch = "money_mismatch"
}

extension MedicineRules {
    /// A batch closes once it has stopped collecting, every item has an outcome, every card is
    /// back with its household, and its money reconciles or the mismatch is explained.
    public static func closeRefusal(status: MedicineBatchStatus, itemsOpen: Int, cardsOut: Int, money: MedicineBatchMoney, explanation: String?) -> MedicineCloseRefusal? {
        switch status {
        case .collecting: return .stillCollecting
        case .closed: return .alreadyClosed
        case .formed: break
        }
        if itemsOpen > 0 { return .itemsOpen }
        if cardsOut > 0 { return .cardsOut }
        if !money.unreconciled.isEmpty && (explanation ?? "").isEmpty { return .moneyMismatch }
        return nil
    }
}

/// Money as people type and read it: yuan with up to two decimals ("200", "12.5", "12.50").
public enum MedicineYuan {
    /// Fen as yuan with two decimals, "-12.50" for a shortfall.
    public static func text(fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        return "\(sign)\(magnitude / 100).\(magnitude % 100 < 10 ? "0" : "")\(magnitude % 100)"
    }

    /// The fen a typed amount of yuan names, or nil for anything but digits with at most two
    /// decimals, or more than `maximumFen`. A full-width point or digits (typed on a Chinese
    /// keyboard) and "元" or "¥" around it are accepted.
    public static func fen(_ typed: String, maximumFen: Int) -> Int? {
        var text = typed.trimmingCharacters(in: .whitespaces)
        text = String(text.map { character -> Character in
            if character == "．" || character == "。" { return "." }
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1, (0xFF10...0xFF19).contains(scalar.value),
               let ascii = Unicode.Scalar(scalar.value - 0xFF10 + 0x30) { return Character(ascii) }
            return character
        })
        if text.hasPrefix("¥") || text.hasPrefix("￥") { text.removeFirst() }
        if text.hasSuffix("元") { text.removeLast() }
        text = text.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 9, whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var cents = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...2).contains(decimals.count), decimals.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(decimals) else { return nil }
            cents = decimals.count == 1 ? value * 10 : value
        }
        guard let yuan = Int(whole) else { return nil }
        let (scaled, overflow) = yuan.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        let fen = scaled + cents
        return fen <= maximumFen ? fen : nil
    }
}
