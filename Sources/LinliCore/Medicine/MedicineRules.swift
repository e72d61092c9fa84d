import Foundation

/// The rules of a medicine run that need no database: which queue a request goes on, the
/// per-hospital totals a runner carries, and what an item fell short by.
public enum MedicineRules {
    /// Kinds that cannot wait for the night's batch.
    public static let sameDayKinds: Set<MedicineKind> = [.urgent, .psychiatric, .oncology]

    /// Words in a drug's name that put it on the same-day queue (compared case-insensitively).
    public static let sameDayDrugWords = ["胰岛素", "insulin"]

    /// The same-day queue when any item cannot wait (an urgent, psychiatric or oncology drug, or
    /// insulin) or the resident is on dialysis; otherwise the night's batch.
    public static func queue(kinds: [MedicineKind], drugs: [String], residentOnDialysis: Bool) -> MedicineQueue {
        if residentOnDialysis { return .sameDay }
        if kinds.contains(where: { sameDayKinds.contains($0) }) { return .sameDay }
        for drug in drugs {
            let lowered = drug.lowercased()
            if sameDayDrugWords.contains(where: { lowered.contains($0) }) { return .sameDay }
        }
        return .nightly
    }

    /// The queue for a request's items.
    public static func queue(items: [MedicineItem], residentOnDialysis: Bool) -> MedicineQueue {
        queue(kinds: items.map(\.kind), drugs: items.map(\.drug), residentOnDialysis: residentOnDialysis)
    }

    /// The local night a moment belongs to, "2022-04-15": the name of the batch formed then.
    public static func night(at date: Date) -> String {
        CareSchedule.dayText(CareSchedule.localDay(date))
    }

    /// How many an item fell short by: what was not bought of a partial purchase, the whole
    /// quantity of anything else short of bought, nothing for a bought item or one without outcome.
    public static func shortfall(quantity: Int, outcome: MedicineOutcome?, quantityBought: Int?) -> Int {
        switch outcome {
        case nil, .bought?: return 0
        case .partial?: return max(0, quantity - min(max(quantityBought ?? 0, 0), quantity))
        case .outOfStock?, .wrongDrug?, .refused?: return max(0, quantity)
        }
    }

    public static func shortfall(of item: MedicineItem) -> Int {
        shortfall(quantity: item.quantity, outcome: item.outcome, quantityBought: item.quantityBought)
    }

    /// The per-hospital lists of a batch: items grouped by source, hospital and window, then by
    /// drug and specification, with the total quantity and how many households asked. Ordered by
    /// source, hospital, window, drug, specification, so the same batch prints the same list.
    public static func hospitalLists(_ lines: [HospitalListInput]) -> [HospitalList] {
        struct ListKey: Hashable { var source: MedicineSource; var hospital: String; var window: String }
        struct LineKey: Hashable { var drug: String; var specification: String }
        var lists: [ListKey: [LineKey: (quantity: Int, households: Set<Int64>)]] = [:]
        for input in lines {
            let listKey = ListKey(source: input.source, hospital: input.hospital, window: input.window)
            let lineKey = LineKey(drug: input.drug, specification: input.specification ?? "")
            var entry = lists[listKey, default: [:]][lineKey] ?? (0, [])
            entry.quantity += max(0, input.quantity)
            entry.households.insert(input.householdID)
            lists[listKey, default: [:]][lineKey] = entry
        }
        return lists.map { key, lines in
            HospitalList(
                source: key.source, hospital: key.hospital, window: key.window,
                lines: lines.map { HospitalListLine(drug: $0.key.drug, specification: $0.key.specification, quantity: $0.value.quantity, households: $0.value.households.count) }
                    .sorted { ($0.drug, $0.specification) < ($1.drug, $1.specification) }
            )
        }
        .sorted { ($0.source.rawValue, $0.hospital, $0.window) < ($1.source.rawValue, $1.hospital, $1.window) }
    }
}

/// One item as the per-hospital list needs it.
public struct HospitalListInput: Sendable, Hashable {
    public var householdID: Int64
    public var source: MedicineSource
    public var hospital: String
    public var window: String
    public var drug: String
    public var specification: String?
    public var quantity: Int

    public init(householdID: Int64, source: MedicineSource, hospital: String, window: String, drug: String, specification: String?, quantity: Int) {
        self.householdID = householdID
        self.source = source
        self.hospital = hospital
        self.window = window
        self.drug = drug
        self.specification = specification
        self.quantity = quantity
    }
}

/// What a runner buys at one hospital window.
public struct HospitalList: Sendable, Hashable, Codable {
    public var source: MedicineSource
    public var hospital: String
    public var window: String
    public var lines: [HospitalListLine]

    public init(source: MedicineSource, hospital: String, window: String, lines: [HospitalListLine]) {
        self.source = source
        self.hospital = hospital
        self.window = window
        self.lines = lines
    }
}

public struct HospitalListLine: Sendable, Hashable, Codable {
    public var drug: String
    public var specification: String
    public var quantity: Int
    public var households: Int

    public init(drug: String, specification: String, quantity: Int, households: Int) {
        self.drug = drug
        self.specification = specification
        self.quantity = quantity
        self.households = households
    }
}
