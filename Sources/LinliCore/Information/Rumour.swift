import Foundation

public typealias ChatGroupID = ID<ChatGroup>
public typealias RumourID = ID<Rumour>
public typealias RumourReportID = ID<RumourReport>
public typealias RumourCorrectionID = ID<RumourCorrection>

/// Where residents talk: the apps their groups live in.
public enum ChatPlatform: String, Sendable, Hashable, Codable, CaseIterable {
    case wechat, wecom, dingtalk, feishu, qq, other
}

/// A residents' chat group with the officer who watches it and a backup. Every group needs
/// both: a rumour spreads in the group nobody is watching.
public struct ChatGroup: Sendable, Hashable {
    public var id: ChatGroupID
    public var placeID: PlaceID
    public var name: String
    public var platform: ChatPlatform
    public var officerUserID: UserID?
    public var backupUserID: UserID?
    /// The group's robot, when it has one, which hears corrections.
    public var targetID: Int64?

    public init(id: ChatGroupID, placeID: PlaceID, name: String, platform: ChatPlatform, officerUserID: UserID?, backupUserID: UserID?, targetID: Int64?) {
        self.id = id
        self.placeID = placeID
        self.name = name
        self.platform = platform
        self.officerUserID = officerUserID
        self.backupUserID = backupUserID
        self.targetID = targetID
    }

    /// What the coverage view lists the group for; empty when it is covered.
    public var gaps: [String] {
        var gaps: [String] = []
        if officerUserID == nil { gaps.append("officer") }
        if backupUserID == nil || backupUserID == officerUserID { gaps.append("backup") }
        return gaps
    }
}

/// Where a rumour stands. Reported and verifying are open; the four verdicts close it.
public enum RumourStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case reported, verifying
    case `false`, `true`, unverifiable
    case outOfScope = "out_of_scope"

    public var isOpen: Bool { self == .reported || self == .verifying }
    public static let verdicts: [RumourStatus] = [.false, .true, .unverifiable, .outOfScope]
}

/// One claim going round, with every report of it attached.
public struct Rumour: Sendable, Hashable {
    public var id: RumourID
    public var placeID: PlaceID
    /// The first report's text, which the others were matched to.
    public var claim: String
    public var status: RumourStatus
    public var firstReportedAt: Date
    /// 0 at the place it was reported, 1 after 60 minutes, 2 after 90 (`RumourClock`).
    public var escalationLevel: Int
    /// Who answers for it now: the reported place, then the places above it.
    public var ownerPlaceID: PlaceID
    public var verdictNote: String?
    public var verdictAt: Date?
    /// When its first correction was published: the end of the two-hour clock.
    public var correctedAt: Date?
    public var reportCount: Int

    public init(id: RumourID, placeID: PlaceID, claim: String, status: RumourStatus, firstReportedAt: Date, escalationLevel: Int, ownerPlaceID: PlaceID,
                verdictNote: String?, verdictAt: Date?, correctedAt: Date?, reportCount: Int) {
        self.id = id
        self.placeID = placeID
        self.claim = claim
        self.status = status
        self.firstReportedAt = firstReportedAt
        self.escalationLevel = escalationLevel
        self.ownerPlaceID = ownerPlaceID
        self.verdictNote = verdictNote
        self.verdictAt = verdictAt
        self.correctedAt = correctedAt
        self.reportCount = reportCount
    }

    /// True while the two-hour clock runs: open, or found false and not yet corrected.
    public var clockRunning: Bool {
        status.isOpen || (status == .false && correctedAt == nil)
    }
}

/// How a report came to belong to its rumour.
public enum RumourMatchKind: String, Sendable, Hashable, Codable {
    /// The first report of a new rumour.
    case new
    /// Identical once normalised, the same link, or a score at or above `RumourMatching.sameAt`.
    case automatic
    /// A person confirmed a suggested match.
    case confirmed
}

/// A sighting of a rumour: what was seen, where and when, and who reported it.
public struct RumourReport: Sendable, Hashable {
    public var id: RumourReportID
    public var rumourID: RumourID
    public var text: String
    public var link: String?
    public var chatGroupID: ChatGroupID?
    public var seenPlaceID: PlaceID
    public var seenAt: Date
    public var reportedBy: UserID
    public var reportedAt: Date
    public var match: RumourMatchKind
    public var score: Double?
    /// A rumour this report resembles but was not attached to, for a person to decide.
    public var suggestedRumourID: RumourID?
    /// When the reporter was told the outcome.
    public var toldAt: Date?

    public init(id: RumourReportID, rumourID: RumourID, text: String, link: String?, chatGroupID: ChatGroupID?, seenPlaceID: PlaceID, seenAt: Date,
                reportedBy: UserID, reportedAt: Date, match: RumourMatchKind, score: Double?, suggestedRumourID: RumourID?, toldAt: Date?) {
        self.id = id
        self.rumourID = rumourID
        self.text = text
        self.link = link
        self.chatGroupID = chatGroupID
        self.seenPlaceID = seenPlaceID
        self.seenAt = seenAt
        self.reportedBy = reportedBy
        self.reportedAt = reportedAt
        self.match = match
        self.score = score
        self.suggestedRumourID = suggestedRumourID
        self.toldAt = toldAt
    }
}

public enum RumourEvidenceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case note
    case officialSource = "official_source"
    case photo
}

public struct RumourEvidence: Sendable, Hashable {
    public var id: Int64
    public var kind: RumourEvidenceKind
    public var text: String
    public var url: String?
    public var addedBy: UserID
    public var addedAt: Date

    public init(id: Int64, kind: RumourEvidenceKind, text: String, url: String?, addedBy: UserID, addedAt: Date) {
        self.id = id
        self.kind = kind
        self.text = text
        self.url = url
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

public enum CorrectionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, approved, published, retracted
}

/// What residents are told in the committee's name about a rumour found false.
public struct RumourCorrection: Sendable, Hashable {
    public var id: RumourCorrectionID
    public var rumourID: RumourID
    public var title: String
    public var body: String
    public var source: String
    public var status: CorrectionStatus
    public var draftedBy: UserID
    public var draftedAt: Date
    public var approvedBy: UserID?
    public var publishedAt: Date?
    public var retractedAt: Date?
    public var retractionReason: String?

    public init(id: RumourCorrectionID, rumourID: RumourID, title: String, body: String, source: String, status: CorrectionStatus, draftedBy: UserID, draftedAt: Date,
                approvedBy: UserID?, publishedAt: Date?, retractedAt: Date?, retractionReason: String?) {
        self.id = id
        self.rumourID = rumourID
        self.title = title
        self.body = body
        self.source = source
        self.status = status
        self.draftedBy = draftedBy
        self.draftedAt = draftedAt
        self.approvedBy = approvedBy
        self.publishedAt = publishedAt
        self.retractedAt = retractedAt
        self.retractionReason = retractionReason
    }
}

/// Why a step on a rumour or correction is refused; each names its rule.
public enum RumourRefusal: String, Error, Sendable {
    /// A verdict is given once, to an open rumour.
    case alreadyDecided = "already_decided"
    /// Only a rumour found false is corrected.
    case notFalse = "not_false"
    case notDraft = "not_draft"
    case notApproved = "not_approved"
    case notPublished = "not_published"
    /// The one who drafted a correction does not approve it.
    case ownDraft = "own_draft"
    /// A rumour is merged into an open or corrected one, never into itself.
    case sameRumour = "same_rumour"
}

/// The rules of a rumour's life, pure.
public enum RumourRules {
    /// Starting to verify: only from reported.
    public static func startVerifying(_ rumour: Rumour) throws(RumourRefusal) -> RumourStatus {
        guard rumour.status == .reported else { throw .alreadyDecided }
        return .verifying
    }

    public static func decide(_ rumour: Rumour, verdict: RumourStatus) throws(RumourRefusal) -> RumourStatus {
        guard rumour.status.isOpen, RumourStatus.verdicts.contains(verdict) else { throw .alreadyDecided }
        return verdict
    }

    public static func draftCorrection(for rumour: Rumour) throws(RumourRefusal) {
        guard rumour.status == .false else { throw .notFalse }
    }

    public static func approve(_ correction: RumourCorrection, by user: UserID) throws(RumourRefusal) {
        guard correction.status == .draft else { throw .notDraft }
        guard correction.draftedBy != user else { throw .ownDraft }
    }

    public static func publish(_ correction: RumourCorrection) throws(RumourRefusal) {
        guard correction.status == .approved else { throw .notApproved }
    }

    public static func retract(_ correction: RumourCorrection) throws(RumourRefusal) {
        guard correction.status == .published else { throw .notPublished }
    }
}

/// The two-hour clock: from a rumour's first report to its published correction. An uncorrected
/// rumour escalates a level at 60 minutes and again at 90, so the place above has time to act
/// before two hours are out.
public enum RumourClock {
    public static let escalationMinutes = [60, 90]
    public static let targetMinutes = 120

    /// When the rumour at `level` escalates next; nil past the last level.
    public static func nextEscalation(firstReportedAt: Date, level: Int) -> Date? {
        guard level >= 0, level < escalationMinutes.count else { return nil }
        return firstReportedAt.addingTimeInterval(Double(escalationMinutes[level]) * 60)
    }

    /// The level a rumour reported at `firstReportedAt` should have reached by `now`.
    public static func level(firstReportedAt: Date, now: Date) -> Int {
        let minutes = now.timeIntervalSince(firstReportedAt) / 60
        return escalationMinutes.filter { Double($0) <= minutes }.count
    }

    /// Whole minutes from the first report to the correction.
    public static func minutesToCorrection(firstReportedAt: Date, correctedAt: Date) -> Int {
        max(0, Int((correctedAt.timeIntervalSince(firstReportedAt) / 60).rounded()))
    }

    /// The median of `minutes`; the mean of the middle two for an even count.
    public static func median(_ minutes: [Int]) -> Double? {
        guard !minutes.isEmpty else { return nil }
        let sorted = minutes.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The Monday (in `calendar`) of the week `date` falls in, as `yyyy-MM-dd`: weeks as the
    /// committee's weekly report counts them.
    public static func week(of date: Date, calendar: Calendar) -> String {
        var calendar = calendar
        calendar.firstWeekday = 2
        let start = calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The median minutes to correction per week of the first report, oldest week first.
    public static func weeklyMedians(_ corrected: [(firstReportedAt: Date, correctedAt: Date)], calendar: Calendar) -> [(week: String, median: Double, count: Int)] {
        var byWeek: [String: [Int]] = [:]
        for entry in corrected {
            byWeek[week(of: entry.firstReportedAt, calendar: calendar), default: []].append(minutesToCorrection(firstReportedAt: entry.firstReportedAt, correctedAt: entry.correctedAt))
        }
        return byWeek.keys.sorted().compactMap { week in
            guard let minutes = byWeek[week], let median = median(minutes) else { return nil }
            return (week, median, minutes.count)
        }
    }
}
