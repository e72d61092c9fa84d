import Foundation

public typealias MedicineItemID = ID<MedicineItem>
public typealias MedicineBatchID = ID<MedicineBatch>
public typealias MedicineCardID = ID<MedicineCard>

/// What kind of medicine an item is. Urgent, psychiatric and oncology drugs cannot wait for the
/// night's batch; chronic refills are the bulk of every night.
/// The raw values are stored and sent in JSON; never rename them.
public enum MedicineKind: String, Sendable, Hashable, Codable, CaseIterable {
    case chronicRefill = "chronic_refill"
    case urgent
    case psychiatric
    case oncology
    case otherSpecialty = "other_specialty"
}

/// Where the drug is got: a community health centre, a hospital's dispensing window, a pharmacy.
public enum MedicineSource: String, Sendable, Hashable, Codable, CaseIterable {
    case healthCentre = "health_centre"
    case hospitalWindow = "hospital_window"
    case pharmacy
}

/// What came of an item at the hospital. Everything short of `bought` opens a follow-up request.
public enum MedicineOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case bought
    case partial
    case outOfStock = "out_of_stock"
    /// The wrong drug came back and was returned.
    case wrongDrug = "wrong_drug"
    /// The hospital refused without a doctor seeing the patient.
    case refused
}

/// Which run a medicine request goes on: the team's nightly batch, or the same-day queue for
/// drugs that cannot wait (insulin, psychiatric, oncology, anything dialysis-related).
public enum MedicineQueue: String, Sendable, Hashable, Codable, CaseIterable {
    case nightly
    case sameDay = "same_day"
}

public enum MedicineBatchKind: String, Sendable, Hashable, Codable, CaseIterable {
    case nightly
    case sameDay = "same_day"
}

/// A team's batch for a night collects its medicine requests as they are filed, is formed at the
/// cut-off (nothing more joins it) and worked through the night; it closes only with every card
/// back and the money reconciled (or its mismatch explained).
public enum MedicineBatchStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case collecting
    case formed
    case closed
}

/// One drug on a medicine request.
public struct MedicineItem: Sendable, Hashable, Codable {
    public var id: MedicineItemID
    public var requestID: HelpRequestID
    public var drug: String
    public var maker: String?
    public var specification: String?
    public var quantity: Int
    public var kind: MedicineKind
    public var source: MedicineSource
    /// The hospital, health centre or pharmacy, as typed.
    public var hospital: String
    /// The dispensing window within it ("" when there is only one).
    public var window: String
    /// Insulin and the like travel in a cool bag.
    public var coldChain: Bool
    /// File name of the photo of the empty box, under the data directory.
    public var boxPhoto: String?
    public var outcome: MedicineOutcome?
    public var quantityBought: Int?
    public var outcomeNote: String?

    public init(
        id: MedicineItemID, requestID: HelpRequestID, drug: String, maker: String? = nil, specification: String? = nil,
        quantity: Int, kind: MedicineKind, source: MedicineSource, hospital: String, window: String = "",
        coldChain: Bool = false, boxPhoto: String? = nil, outcome: MedicineOutcome? = nil, quantityBought: Int? = nil, outcomeNote: String? = nil
    ) {
        self.id = id
        self.requestID = requestID
        self.drug = drug
        self.maker = maker
        self.specification = specification
        self.quantity = quantity
        self.kind = kind
        self.source = source
        self.hospital = hospital
        self.window = window
        self.coldChain = coldChain
        self.boxPhoto = boxPhoto
        self.outcome = outcome
        self.quantityBought = quantityBought
        self.outcomeNote = outcomeNote
    }
}

/// A team's run for one night, or a same-day run.
public struct MedicineBatch: Sendable, Hashable, Codable {
    /// The night a nightly request filed at `date` goes to: tonight's before the team's cut-off
    /// (minutes after local midnight), tomorrow's from the cut-off on.
    public static func night(filedAt date: Date, cutoffMinute: Int) -> String {
        let day = CareSchedule.localDay(date)
        let minute = Int((date.timeIntervalSince(CareSchedule.start(ofLocalDay: day)) / 60).rounded(.down))
        return CareSchedule.dayText(minute < cutoffMinute ? day : day + 1)
    }

    /// 20:00, when most teams stopped taking orders for the night's run.
    public static let defaultCutoffMinute = 20 * 60

    public var id: MedicineBatchID
    public var teamID: TeamID
    public var kind: MedicineBatchKind
    /// The local date of the night, "2022-04-12".
    public var night: String
    public var status: MedicineBatchStatus
    public var formedAt: Date
    public var closedAt: Date?
    public var moneyExplanation: String?

    public init(id: MedicineBatchID, teamID: TeamID, kind: MedicineBatchKind, night: String, status: MedicineBatchStatus, formedAt: Date, closedAt: Date? = nil, moneyExplanation: String? = nil) {
        self.id = id
        self.teamID = teamID
        self.kind = kind
        self.night = night
        self.status = status
        self.formedAt = formedAt
        self.closedAt = closedAt
        self.moneyExplanation = moneyExplanation
    }
}

public enum MedicineCardKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 医保卡
    case insuranceCard = "insurance_card"
    /// 病历本
    case recordBooklet = "record_booklet"
}

/// A step in a card's custody. A card is out from `receivedFromHousehold` until
/// `returnedToHousehold`.
public enum CustodyEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case receivedFromHousehold = "received_from_household"
    case withRunner = "with_runner"
    case atHospital = "at_hospital"
    case returnedToHousehold = "returned_to_household"

    /// True while the card is away from its household.
    public var cardIsOut: Bool { self != .returnedToHousehold }
}

/// An insurance card or record booklet handed over for a run, and where it is now.
public struct MedicineCard: Sendable, Hashable, Codable {
    public var id: MedicineCardID
    public var householdID: PlaceID
    public var residentID: ResidentID?
    public var kind: MedicineCardKind
    /// Sensitive: show `maskedNumber` unless the reader is the runner holding the card.
    public var number: String
    public var requestID: HelpRequestID?
    public var batchID: MedicineBatchID?
    public var state: CustodyEvent
    public var holderUserID: UserID?
    public var since: Date

    public init(id: MedicineCardID, householdID: PlaceID, residentID: ResidentID? = nil, kind: MedicineCardKind, number: String, requestID: HelpRequestID? = nil, batchID: MedicineBatchID? = nil, state: CustodyEvent, holderUserID: UserID? = nil, since: Date) {
        self.id = id
        self.householdID = householdID
        self.residentID = residentID
        self.kind = kind
        self.number = number
        self.requestID = requestID
        self.batchID = batchID
        self.state = state
        self.holderUserID = holderUserID
        self.since = since
    }

    /// The last four characters, the rest as "*": enough to match the card in hand.
    public var maskedNumber: String { Self.mask(number) }

    public static func mask(_ number: String) -> String {
        let characters = Array(number)
        guard characters.count > 4 else { return String(repeating: "*", count: characters.count) }
        return String(repeating: "*", count: characters.count - 4) + String(characters.suffix(4))
    }
}
