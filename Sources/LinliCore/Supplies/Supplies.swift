import Foundation

public typealias SupplyBatchID = ID<SupplyBatch>
public typealias ShelfItemID = ID<ShelfItem>

/// Where a batch came from: government relief packages (大礼包), goods the place bought, or a
/// donation into the pool (爱心储备池).
public enum SupplyBatchKind: String, Sendable, Codable, CaseIterable {
    case relief, purchase, donation
}

/// Whether a batch is counted in packages (a relief package of several items) or in single units.
public enum SupplyUnit: String, Sendable, Codable, CaseIterable {
    case package, unit
}

/// One line of what a package (or unit) holds: "大米, 5, 斤".
public struct SupplyLine: Sendable, Hashable, Codable {
    public var item: String
    public var quantity: Int
    public var unit: String

    public init(item: String, quantity: Int, unit: String) {
        self.item = item
        self.quantity = quantity
        self.unit = unit
    }
}

/// Who a batch is for, and how much each household gets.
public enum AllocationRule: Sendable, Hashable {
    /// One package per household.
    case perHousehold
    /// One per person living in the household (its registered residents).
    case perPerson
    /// One per household that has someone on the care register in any of these categories: the
    /// sub-district's packages for the elderly and for children in difficulty went only there.
    case careCategories(Set<CareCategory>)

    public var kind: String {
        switch self {
        case .perHousehold: "per_household"
        case .perPerson: "per_person"
        case .careCategories: "care_categories"
        }
    }

    /// Whether the rule reads who lives in the household; one per household does not, so a
    /// hand-out under it skips reading the register.
    public var readsHousehold: Bool { self != .perHousehold }

    /// The rule as one line, as the ledger's allocation entry keeps it: `care_categories:dialysis,elderly_alone`.
    public var ledgerText: String {
        switch self {
        case .perHousehold, .perPerson: kind
        case .careCategories(let categories): kind + ":" + categories.map(\.rawValue).sorted().joined(separator: ",")
        }
    }
}

/// What the entitlement of one household depends on.
public struct HouseholdFacts: Sendable, Hashable {
    public var residents: Int
    public var careCategories: Set<CareCategory>

    public init(residents: Int, careCategories: Set<CareCategory> = []) {
        self.residents = residents
        self.careCategories = careCategories
    }
}

/// A batch as received.
public struct SupplyBatch: Sendable, Hashable {
    public var id: SupplyBatchID
    public var kind: SupplyBatchKind
    public var source: String
    public var supplier: String?
    public var lot: String?
    public var contents: [SupplyLine]
    public var licences: String?
    /// The best-before day, `yyyy-MM-dd`.
    public var expiry: String?
    public var unit: SupplyUnit
    public var received: Int
    public var placeID: PlaceID
    public var allocation: AllocationRule
    public var receivedBy: UserID
    public var receivedAt: Date
    public var handedOut: Int
    public var writtenOff: Int

    public init(id: SupplyBatchID, kind: SupplyBatchKind, source: String, supplier: String?, lot: String?, contents: [SupplyLine], licences: String?,
                expiry: String?, unit: SupplyUnit, received: Int, placeID: PlaceID, allocation: AllocationRule, receivedBy: UserID, receivedAt: Date,
                handedOut: Int = 0, writtenOff: Int = 0) {
        self.id = id
        self.kind = kind
        self.source = source
        self.supplier = supplier
        self.lot = lot
        self.contents = contents
        self.licences = licences
        self.expiry = expiry
        self.unit = unit
        self.received = received
        self.placeID = placeID
        self.allocation = allocation
        self.receivedBy = receivedBy
        self.receivedAt = receivedAt
        self.handedOut = handedOut
        self.writtenOff = writtenOff
    }

    public var stock: Int { SupplyRules.stock(received: received, handedOut: handedOut, writtenOff: writtenOff) }
}

/// An item on the mutual-aid shelf (互助架): left by a neighbour or volunteer, taken by another.
public struct ShelfItem: Sendable, Hashable {
    public var id: ShelfItemID
    public var placeID: PlaceID
    public var item: String
    public var quantity: Int
    public var note: String?
    public var offeredAt: Date
    public var takenAt: Date?

    public init(id: ShelfItemID, placeID: PlaceID, item: String, quantity: Int, note: String?, offeredAt: Date, takenAt: Date?) {
        self.id = id
        self.placeID = placeID
        self.item = item
        self.quantity = quantity
        self.note = note
        self.offeredAt = offeredAt
        self.takenAt = takenAt
    }
}

/// The kinds of ledger entries. Every change to supplies is one of them.
public enum SupplyEvent: String, Sendable, Codable, CaseIterable {
    case received
    case allocated
    case handedOut = "handed_out"
    case writtenOff = "written_off"
    case shelfOffered = "shelf_offered"
    case shelfTaken = "shelf_taken"
}

/// Why stock left a batch without reaching a household.
public enum WriteOffReason: String, Sendable, Codable, CaseIterable {
    case damaged, expired, lost
}
