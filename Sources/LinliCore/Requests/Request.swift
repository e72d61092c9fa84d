import Foundation

public typealias HelpRequestID = ID<HelpRequest>

/// What a household needs (诉求). The raw values are stored and sent in JSON; never rename them.
public enum RequestCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case medicine
    case emergencyMedical = "emergency_medical"
    case food
    case dailySupplies = "daily_supplies"
    case testing
    case transport
    case other

    public var catalogueKey: String { "requests.category.\(rawValue)" }
}

/// How soon a need must be met. Ordered by how soon: `.normal < .urgent < .lifeCritical`, so a
/// queue sorted by urgency descending puts a dialysis ride before a bag of rice.
public enum Urgency: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case normal
    case urgent
    case lifeCritical = "life_critical"

    public var catalogueKey: String { "requests.urgency.\(rawValue)" }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Urgency, rhs: Urgency) -> Bool { lhs.rank < rhs.rank }
}

/// How a need reached Linli, which takes over from chat groups and chain lists: residents file
/// with their household code, volunteers file for people without a phone, staff take calls, or a
/// chain list pasted from a chat group becomes one request per line.
public enum RequestChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case householdCode = "household_code"
    case volunteerOnBehalf = "volunteer_on_behalf"
    case phoneCall = "phone_call"
    case chainListImport = "chain_list_import"

    public var catalogueKey: String { "requests.channel.\(rawValue)" }
}

/// Where a request is in its life. Three states are open, four close it.
public enum RequestStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case new
    case accepted
    case inProgress = "in_progress"
    case done
    case cancelled
    case unable
    case resolvedElsewhere = "resolved_elsewhere"

    public var catalogueKey: String { "requests.status.\(rawValue)" }

    public var isOpen: Bool {
        switch self {
        case .new, .accepted, .inProgress: true
        case .done, .cancelled, .unable, .resolvedElsewhere: false
        }
    }

    public var isClosed: Bool { !isOpen }
}

/// Who did something to a request. Not named `Actor`, which would shadow Swift's own protocol.
public enum RequestActor: Sendable, Hashable, Codable {
    /// A volunteer or staff member signed in with their account.
    case user(id: UserID)
    /// The household itself, signed in with its household code.
    case household(id: PlaceID)
    /// Linli's own jobs, e.g. the escalation job.
    case system
}

/// Who a request is handed to. A place means that place's duty team; one of its members then
/// accepts it by name.
public enum RequestOwner: Sendable, Hashable, Codable {
    case user(id: UserID)
    case place(id: PlaceID)
}

/// A need of a household, tracked to done ("find a problem, find a member": a named owner, a
/// deadline and a history, so nothing is lost between shifts).
/// The workflow lives in `RequestLifecycle.swift`; this is the record it moves. Called
/// `HelpRequest` so that it never shares a name with the HTTP request a server handles; the API
/// and the pages still call it a request (诉求).
public struct HelpRequest: Sendable, Hashable, Codable {
    public var id: HelpRequestID
    public var householdID: PlaceID
    /// The resident the need is for, when it is one person's (a prescription, a dialysis ride).
    public var residentID: ResidentID?
    public var category: RequestCategory
    public var urgency: Urgency
    public var description: String
    public var channel: RequestChannel
    public var filedBy: RequestActor
    /// The named person who has it, if any.
    public var ownerUserID: UserID?
    /// The tier of the place tree that answers for it: the place whose duty team holds it when no
    /// person does, and the rung escalation climbs from when one does. Nil only before routing.
    public var ownerPlaceID: PlaceID?
    public var status: RequestStatus
    public var createdAt: Date
    /// When the household last reopened it: deadlines then count from here, not from `createdAt`.
    public var reopenedAt: Date?
    public var acceptBy: Date
    public var doneBy: Date
    /// How many escalation steps were ever applied. Never goes down, so the escalation job can
    /// update `WHERE escalation_level = n` and two nodes can never apply the same step.
    public var escalationLevel: Int
    public var closedAt: Date?
    public var closingReason: String?

    public init(
        id: HelpRequestID, householdID: PlaceID, residentID: ResidentID? = nil,
        category: RequestCategory, urgency: Urgency, description: String, channel: RequestChannel,
        filedBy: RequestActor, ownerUserID: UserID? = nil, ownerPlaceID: PlaceID? = nil,
        status: RequestStatus, createdAt: Date, reopenedAt: Date? = nil, acceptBy: Date, doneBy: Date,
        escalationLevel: Int = 0, closedAt: Date? = nil, closingReason: String? = nil
    ) {
        self.id = id
        self.householdID = householdID
        self.residentID = residentID
        self.category = category
        self.urgency = urgency
        self.description = description
        self.channel = channel
        self.filedBy = filedBy
        self.ownerUserID = ownerUserID
        self.ownerPlaceID = ownerPlaceID
        self.status = status
        self.createdAt = createdAt
        self.reopenedAt = reopenedAt
        self.acceptBy = acceptBy
        self.doneBy = doneBy
        self.escalationLevel = escalationLevel
        self.closedAt = closedAt
        self.closingReason = closingReason
    }

    /// A newly filed request: status new, deadlines counted from `now` under the district's policy,
    /// owned by whatever routing decided.
    public static func filed(
        id: HelpRequestID, householdID: PlaceID, residentID: ResidentID? = nil,
        category: RequestCategory, urgency: Urgency, description: String, channel: RequestChannel,
        filedBy: RequestActor, routing: RoutingDecision?, policy: DeadlinePolicy, at now: Date
    ) -> HelpRequest {
        let deadlines = policy.deadlines(for: urgency, from: now)
        return HelpRequest(
            id: id, householdID: householdID, residentID: residentID, category: category,
            urgency: urgency, description: description, channel: channel, filedBy: filedBy,
            ownerUserID: routing?.ownerUserID, ownerPlaceID: routing?.ownerPlaceID,
            status: .new, createdAt: now, acceptBy: deadlines.acceptBy, doneBy: deadlines.doneBy
        )
    }

    /// When the current round of deadlines started.
    public var clockStart: Date { reopenedAt ?? createdAt }
}
