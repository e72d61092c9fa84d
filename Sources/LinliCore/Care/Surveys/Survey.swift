import Foundation

public typealias SurveyCampaignID = ID<SurveyCampaign>

/// A door-to-door survey (摸排) of every household in a place over some days, so that no household
/// is missed (不漏一家).
public struct SurveyCampaign: Sendable, Hashable, Codable {
    public var id: SurveyCampaignID
    public var name: String
    public var placeID: PlaceID
    public var path: PlacePath
    public var districtID: PlaceID?
    public var startsAt: Date
    public var endsAt: Date
    public var closedAt: Date?
    /// Required to close while some household has no final status.
    public var closedReason: String?
    public var createdBy: UserID
    public var createdAt: Date

    public init(id: SurveyCampaignID, name: String, placeID: PlaceID, path: PlacePath, districtID: PlaceID?, startsAt: Date, endsAt: Date, closedAt: Date? = nil, closedReason: String? = nil, createdBy: UserID, createdAt: Date) {
        self.id = id
        self.name = name
        self.placeID = placeID
        self.path = path
        self.districtID = districtID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.closedAt = closedAt
        self.closedReason = closedReason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// Where a household stands in a survey. A household with no row is `notYet`.
public enum SurveyStatus: String, Sendable, Codable, CaseIterable {
    case notYet = "not_yet"
    case visited
    case phoned
    /// Nobody answered: someone must come back.
    case nobodyHome = "nobody_home"
    case vacant
    case noNeed = "no_need"
    case followUp = "follow_up"

    /// Whether the household is done for this campaign; a campaign closes only when every
    /// household is final, or with a recorded reason.
    public var isFinal: Bool {
        switch self {
        case .notYet, .nobodyHome: false
        case .visited, .phoned, .vacant, .noNeed, .followUp: true
        }
    }
}
