import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct ChatGroupView: ResponseCodable {
    var id: ChatGroupID
    var placeID: PlaceID
    var placeName: String
    var name: String
    var platform: ChatPlatform
    var officerUserID: UserID?
    var backupUserID: UserID?
    var targetID: Int64?
    /// `officer`, `backup`: what the group lacks; empty when it is covered.
    var gaps: [String]

    init(_ stored: StoredChatGroup) {
        id = stored.group.id
        placeID = stored.group.placeID
        placeName = stored.placeName
        name = stored.group.name
        platform = stored.group.platform
        officerUserID = stored.group.officerUserID
        backupUserID = stored.group.backupUserID
        targetID = stored.group.targetID
        gaps = stored.group.gaps
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", placeName = "place_name", name, platform, officerUserID = "officer_user_id", backupUserID = "backup_user_id",
             targetID = "target_id", gaps
    }
}

struct ChatGroupListView: ResponseCodable {
    var groups: [ChatGroupView]
}

/// The groups lacking an officer or a backup: the list that must be empty.
struct ChatGroupCoverageView: ResponseCodable {
    var groups: Int
    var uncovered: [ChatGroupView]
}

struct RumourView: ResponseCodable {
    var id: RumourID
    var placeID: PlaceID
    var claim: String
    var status: RumourStatus
    var firstReportedAt: Date
    var minutesOpen: Int
    var clockRunning: Bool
    var escalationLevel: Int
    var ownerPlaceID: PlaceID
    var verdictNote: String?
    var verdictAt: Date?
    var correctedAt: Date?
    var minutesToCorrection: Int?
    var reportCount: Int

    init(_ stored: StoredRumour, now: Date) {
        let rumour = stored.rumour
        id = rumour.id
        placeID = rumour.placeID
        claim = rumour.claim
        status = rumour.status
        firstReportedAt = rumour.firstReportedAt
        minutesOpen = CardCustodyService.minutesOut(since: rumour.firstReportedAt, now: rumour.correctedAt ?? now)
        clockRunning = rumour.clockRunning
        escalationLevel = rumour.escalationLevel
        ownerPlaceID = rumour.ownerPlaceID
        verdictNote = rumour.verdictNote
        verdictAt = rumour.verdictAt
        correctedAt = rumour.correctedAt
        minutesToCorrection = rumour.correctedAt.map { RumourClock.minutesToCorrection(firstReportedAt: rumour.firstReportedAt, correctedAt: $0) }
        reportCount = rumour.reportCount
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", claim, status, firstReportedAt = "first_reported_at", minutesOpen = "minutes_open", clockRunning = "clock_running",
             escalationLevel = "escalation_level", ownerPlaceID = "owner_place_id", verdictNote = "verdict_note", verdictAt = "verdict_at",
             correctedAt = "corrected_at", minutesToCorrection = "minutes_to_correction", reportCount = "report_count"
    }
}

struct RumourReportView: ResponseCodable {
    var id: RumourReportID
    var rumourID: RumourID
    var text: String
    var link: String?
    var chatGroupID: ChatGroupID?
    var seenPlaceID: PlaceID
    var seenAt: Date
    var reportedAt: Date
    var match: RumourMatchKind
    var score: Double?
    var suggestedRumourID: RumourID?
    var toldAt: Date?

    init(_ report: RumourReport) {
        id = report.id
        rumourID = report.rumourID
        text = report.text
        link = report.link
        chatGroupID = report.chatGroupID
        seenPlaceID = report.seenPlaceID
        seenAt = report.seenAt
        reportedAt = report.reportedAt
        match = report.match
        score = report.score
        suggestedRumourID = report.suggestedRumourID
        toldAt = report.toldAt
    }

    enum CodingKeys: String, CodingKey {
        case id, rumourID = "rumour_id", text, link, chatGroupID = "chat_group_id", seenPlaceID = "seen_place_id", seenAt = "seen_at", reportedAt = "reported_at",
             match, score, suggestedRumourID = "suggested_rumour_id", toldAt = "told_at"
    }
}

struct EvidenceView: ResponseCodable {
    var id: Int64
    var kind: RumourEvidenceKind
    var text: String
    var url: String?
    var addedAt: Date

    init(_ evidence: RumourEvidence) {
        id = evidence.id
        kind = evidence.kind
        text = evidence.text
        url = evidence.url
        addedAt = evidence.addedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, text, url, addedAt = "added_at"
    }
}

struct CorrectionView: ResponseCodable {
    var id: RumourCorrectionID
    var rumourID: RumourID
    var title: String
    var body: String
    var source: String
    var status: CorrectionStatus
    var draftedAt: Date
    var publishedAt: Date?
    var retractedAt: Date?
    var retractionReason: String?
    /// The public page, for the printable copy and the groups.
    var page: String

    init(_ correction: RumourCorrection) {
        id = correction.id
        rumourID = correction.rumourID
        title = correction.title
        body = correction.body
        source = correction.source
        status = correction.status
        draftedAt = correction.draftedAt
        publishedAt = correction.publishedAt
        retractedAt = correction.retractedAt
        retractionReason = correction.retractionReason
        page = "/corrections/\(correction.id)"
    }

    enum CodingKeys: String, CodingKey {
        case id, rumourID = "rumour_id", title, body, source, status, draftedAt = "drafted_at", publishedAt = "published_at", retractedAt = "retracted_at",
             retractionReason = "retraction_reason", page
    }
}

struct RumourDetailView: ResponseCodable {
    var rumour: RumourView
    var reports: [RumourReportView]
    var evidence: [EvidenceView]
    var corrections: [CorrectionView]
}

struct FiledReportView: ResponseCodable {
    var reportID: RumourReportID
    var rumour: RumourView
    /// `new` (a rumour of its own) or `automatic` (attached to the rumour it repeats).
    var match: RumourMatchKind
    var score: Double?
    /// A rumour it resembles, for a person to confirm.
    var suggestedRumourID: RumourID?
    var correction: CorrectionView?

    enum CodingKeys: String, CodingKey {
        case reportID = "report_id", rumour, match, score, suggestedRumourID = "suggested_rumour_id", correction
    }
}

struct RumourBoardView: ResponseCodable {
    struct Week: Codable {
        var week: String
        var medianMinutes: Double
        var corrected: Int

        enum CodingKeys: String, CodingKey {
            case week, medianMinutes = "median_minutes", corrected
        }
    }

    var running: [RumourView]
    var closed: [RumourView]
    var weeks: [Week]
}

struct MyReportView: ResponseCodable {
    var report: RumourReportView
    var told: String?
}

struct MyReportsView: ResponseCodable {
    var reports: [MyReportView]
}
