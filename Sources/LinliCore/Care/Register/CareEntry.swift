import Foundation

public typealias CareEntryID = ID<CareEntry>

/// Why a resident is on the care register. A person can be several at once (an old man living
/// alone on dialysis); each category is what a helper must know before the first knock.
public enum CareCategory: String, Sendable, Codable, CaseIterable {
    case elderlyAlone = "elderly_alone"
    /// Alone only for now: the family was taken to quarantine. The people most often missed.
    case temporarilyAlone = "temporarily_alone"
    case bedBound = "bed_bound"
    case dementia
    /// The kind of disability is kept in `CareEntry.disabilityKind`.
    case disabled
    case childWithoutAdult = "child_without_adult"
    case pregnant
    case dialysis
    case chemotherapy
    case otherCriticalTreatment = "other_critical_treatment"
    case noSmartphone = "no_smartphone"
}

/// How urgently a person needs watching; critical people are checked on first and their
/// requests are proposed as life-critical.
public enum CareRisk: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    public static func < (a: CareRisk, b: CareRisk) -> Bool { a.rank < b.rank }

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }
}

/// How the person came onto the register.
public enum CareSource: String, Sendable, Codable, CaseIterable {
    case survey, neighbour, `self`, hospital
}

/// One resident on the care register. Everything here is sensitive: read only with
/// `Capability.viewSensitive` (or as the person's paired helper), and every read is audited.
public struct CareEntry: Sendable, Hashable, Codable {
    public var id: CareEntryID
    public var residentID: ResidentID
    public var householdID: PlaceID
    public var categories: [CareCategory]
    /// Set when `categories` holds `.disabled`: "视力", "听力", "肢体", "智力", "精神" ...
    public var disabilityKind: String?
    /// Skills a helper must have (`medical`, `sign_language`, `dialect`, `driver`, ...).
    public var needs: [String]
    public var risk: CareRisk
    public var source: CareSource
    public var consentNote: String?
    public var note: String?
    public var lastContactAt: Date?
    /// The volunteer pinned by hand as primary helper; the solver keeps the pin.
    public var pinnedHelperID: VolunteerID?
    public var primaryHelperID: VolunteerID?
    public var backupHelperID: VolunteerID?
    public var path: PlacePath
    public var districtID: PlaceID?
    public var createdAt: Date
    public var updatedAt: Date
    /// Grows with every change, so two people editing at once cannot both win.
    public var version: Int

    public init(
        id: CareEntryID, residentID: ResidentID, householdID: PlaceID, categories: [CareCategory], disabilityKind: String? = nil,
        needs: [String] = [], risk: CareRisk, source: CareSource, consentNote: String? = nil, note: String? = nil,
        lastContactAt: Date? = nil, pinnedHelperID: VolunteerID? = nil, primaryHelperID: VolunteerID? = nil,
        backupHelperID: VolunteerID? = nil, path: PlacePath, districtID: PlaceID?, createdAt: Date, updatedAt: Date, version: Int = 1
    ) {
        self.id = id
        self.residentID = residentID
        self.householdID = householdID
        self.categories = categories
        self.disabilityKind = disabilityKind
        self.needs = needs
        self.risk = risk
        self.source = source
        self.consentNote = consentNote
        self.note = note
        self.lastContactAt = lastContactAt
        self.pinnedHelperID = pinnedHelperID
        self.primaryHelperID = primaryHelperID
        self.backupHelperID = backupHelperID
        self.path = path
        self.districtID = districtID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// Whether a helper can take people now. Anything but `available` takes the helper out of
/// pairing, and everyone they covered is re-paired in one action.
public enum HelperAvailability: String, Sendable, Codable, CaseIterable {
    case available, quarantined, infected, left
}
