import Foundation

public typealias CarePlanItemID = ID<CarePlanItem>
public typealias CareCheckInID = ID<CareCheckIn>

/// The kinds of recurring care a helper gives.
public enum CarePlanKind: String, Sendable, Codable, CaseIterable {
    case meal
    case antigenHelp = "antigen_help"
    case dialysisRide = "dialysis_ride"
    case medicineRefill = "medicine_refill"
    case call
    case other
}

/// One recurring item of a person's care plan: "daily meal at 11:30", "dialysis ride Mon/Wed/Fri
/// at 07:00", "insulin refill on 15 April".
public struct CarePlanItem: Sendable, Hashable, Codable {
    public var id: CarePlanItemID
    public var entryID: CareEntryID
    public var kind: CarePlanKind
    public var label: String?
    /// ISO weekdays (1 = Monday … 7 = Sunday) it is due on; empty means every day.
    public var weekdays: [Int]
    /// Minutes after local midnight (0 … 1439) when it is due.
    public var dueMinute: Int
    /// A one-off item (a refill date) is due on this local day only.
    public var onDay: String?
    public var active: Bool
    public var path: PlacePath

    public init(id: CarePlanItemID, entryID: CareEntryID, kind: CarePlanKind, label: String? = nil, weekdays: [Int] = [], dueMinute: Int, onDay: String? = nil, active: Bool = true, path: PlacePath) {
        self.id = id
        self.entryID = entryID
        self.kind = kind
        self.label = label
        self.weekdays = weekdays
        self.dueMinute = dueMinute
        self.onDay = onDay
        self.active = active
        self.path = path
    }
}

/// One due occurrence of a plan item; ticked off by the helper, or overdue and escalating.
public struct CareCheckIn: Sendable, Hashable, Codable {
    public var id: CareCheckInID
    public var itemID: CarePlanItemID
    public var entryID: CareEntryID
    public var dueAt: Date
    public var doneAt: Date?
    public var doneBy: String?
    public var note: String?
    public var escalationLevel: Int
    public var path: PlacePath

    public init(id: CareCheckInID, itemID: CarePlanItemID, entryID: CareEntryID, dueAt: Date, doneAt: Date? = nil, doneBy: String? = nil, note: String? = nil, escalationLevel: Int = 0, path: PlacePath) {
        self.id = id
        self.itemID = itemID
        self.entryID = entryID
        self.dueAt = dueAt
        self.doneAt = doneAt
        self.doneBy = doneBy
        self.note = note
        self.escalationLevel = escalationLevel
        self.path = path
    }
}
