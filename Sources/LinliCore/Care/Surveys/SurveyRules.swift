import Foundation

/// Where a surveyor is in a building: the floor a room is on, so the walk goes floor by floor.
public enum SurveyFloor {
    /// The floor of a room written as the building writes it: "502" → 5, "1502" → 15. Rooms that
    /// are not three to five digits ("3-201", "商铺A", "12") have no floor and are walked last.
    public static func floor(ofRoom room: String) -> Int? {
        let trimmed = room.trimmingCharacters(in: .whitespaces)
        guard (3...5).contains(trimmed.count), trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(trimmed) else { return nil }
        let floor = number / 100
        return floor >= 1 ? floor : nil
    }
}

/// A survey rule that refused its input, naming the field and the catalogue text to show.
public struct SurveyRuleError: Error, Sendable, Hashable {
    public var field: String
    public var key: String
    public var arguments: [String: String]

    public init(field: String, key: String, arguments: [String: String] = [:]) {
        self.field = field
        self.key = key
        self.arguments = arguments
    }
}

/// Bounds of what a campaign or a visit may carry, checked before anything is stored.
public enum SurveyRules {
    public static let nameMaxLength = 100
    public static let noteMaxLength = 500
    public static let reasonMaxLength = 500
    /// A campaign runs at most a year: a longer range is a typing error.
    public static let maxDays = 366

    /// Checks a new campaign's name and its first and last day (both included, as the start of each day).
    public static func checkCampaign(name: String, firstDay: Date, lastDay: Date) throws(SurveyRuleError) {
        guard !name.isEmpty else { throw SurveyRuleError(field: "name", key: "error.field.required") }
        guard name.count <= nameMaxLength else { throw SurveyRuleError(field: "name", key: "error.field.too_long", arguments: ["max": "\(nameMaxLength)"]) }
        guard firstDay <= lastDay else { throw SurveyRuleError(field: "ends_on", key: "care.survey.error.ends_before_start") }
        guard lastDay.timeIntervalSince(firstDay) < Double(maxDays) * 86_400 else { throw SurveyRuleError(field: "ends_on", key: "care.survey.error.too_long_range", arguments: ["days": "\(maxDays)"]) }
    }

    public static func checkNote(_ note: String?, field: String = "note", max: Int = noteMaxLength) throws(SurveyRuleError) {
        guard let note, note.count > max else { return }
        throw SurveyRuleError(field: field, key: "error.field.too_long", arguments: ["max": "\(max)"])
    }

    /// A campaign closes when every household has a final status, or with a reason for those left.
    public static func checkClose(openHouseholds: Int, reason: String?) throws(SurveyRuleError) {
        try checkNote(reason, field: "reason", max: reasonMaxLength)
        guard openHouseholds == 0 || !(reason ?? "").isEmpty else {
            throw SurveyRuleError(field: "reason", key: "care.survey.error.open_households", arguments: ["count": "\(openHouseholds)"])
        }
    }
}

/// How far a survey has come in one building, or for one surveyor.
public struct SurveyTally: Sendable, Hashable, Codable {
    public var households: Int
    /// Households with a final status.
    public var done: Int
    public var notYet: Int
    public var nobodyHome: Int
    public var followUps: Int

    public init(households: Int = 0, done: Int = 0, notYet: Int = 0, nobodyHome: Int = 0, followUps: Int = 0) {
        self.households = households
        self.done = done
        self.notYet = notYet
        self.nobodyHome = nobodyHome
        self.followUps = followUps
    }

    /// Whole per cent done, rounded down so 99.9 % never shows as 100 %.
    public var percent: Int { households == 0 ? 100 : done * 100 / households }
    /// Households without a final status: not yet visited, or nobody was home.
    public var open: Int { notYet + nobodyHome }

    public static func + (a: SurveyTally, b: SurveyTally) -> SurveyTally {
        SurveyTally(households: a.households + b.households, done: a.done + b.done, notYet: a.notYet + b.notYet, nobodyHome: a.nobodyHome + b.nobodyHome, followUps: a.followUps + b.followUps)
    }
}
