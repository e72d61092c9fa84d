import Foundation

public typealias AnswerID = ID<Answer>

/// Where an answer is in its life: kept as a draft by those who verify, published by those who
/// may speak for the place, retired when it no longer holds (a rule replaced, a hotline closed).
public enum AnswerState: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case published
    case retired
}

/// What a keeper writes of an answer: the question residents ask, the answer, who said it
/// ("区卫健委", "街道办 4 月 12 日通告"), a link or the name of the document it comes from, and
/// when it holds.
public struct AnswerText: Sendable, Hashable {
    public var question: String
    public var body: String
    public var source: String
    public var sourceLink: String?
    public var validFrom: Date?
    public var validUntil: Date?

    public init(question: String, body: String, source: String, sourceLink: String?, validFrom: Date?, validUntil: Date?) {
        self.question = question
        self.body = body
        self.source = source
        self.sourceLink = sourceLink
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// An authoritative answer to a question residents keep asking ("医院不收急诊病人怎么办"). It
/// covers its place and everything under it: an answer at the district holds for every compound
/// in it.
public struct Answer: Sendable, Hashable {
    public var id: AnswerID
    public var placeID: PlaceID
    public var text: AnswerText
    public var state: AnswerState
    public var updatedAt: Date
    public var publishedAt: Date?

    public init(id: AnswerID, placeID: PlaceID, text: AnswerText, state: AnswerState, updatedAt: Date, publishedAt: Date?) {
        self.id = id
        self.placeID = placeID
        self.text = text
        self.state = state
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
    }

    /// Within its validity at `now`: an answer past its end (a hotline that changed) or before
    /// its start misleads more than no answer, so residents do not see it.
    public func isValid(at now: Date) -> Bool {
        if let validFrom = text.validFrom, now < validFrom { return false }
        if let validUntil = text.validUntil, now >= validUntil { return false }
        return true
    }

    /// What residents may read: published and valid now.
    public func isPublic(at now: Date) -> Bool { state == .published && isValid(at: now) }
}

/// The limits of an answer's fields, so no input grows without bound.
public enum AnswerRules {
    public static let maximumQuestion = 200
    public static let maximumBody = 4_000
    public static let maximumSource = 200
    public static let maximumLink = 500
    /// Why an answer was retired, for the audit log.
    public static let maximumReason = 200
    /// A search is a question, not a document.
    public static let maximumQuery = 100
    /// Results shown for one search.
    public static let maximumResults = 20

    /// Ends before it starts: refused, naming the end.
    public static func validityIsOrdered(from: Date?, until: Date?) -> Bool {
        guard let from, let until else { return true }
        return from < until
    }
}
