import Foundation

/// How long each urgency may wait to be accepted and to be done, and how long a household may
/// reopen a closed request. A district stores its own; `standard` is the default.
/// In JSON the windows are whole minutes and the reopen window whole hours, as people set them;
/// an urgency left out of a district's JSON keeps the standard window.
public struct DeadlinePolicy: Sendable, Hashable, Codable {
    public struct Window: Sendable, Hashable, Codable {
        public var acceptMinutes: Int
        public var doneMinutes: Int

        public init(acceptMinutes: Int, doneMinutes: Int) {
            self.acceptMinutes = acceptMinutes
            self.doneMinutes = doneMinutes
        }

        private enum CodingKeys: String, CodingKey {
            case acceptMinutes = "accept_minutes", doneMinutes = "done_minutes"
        }

        public var acceptInterval: TimeInterval { TimeInterval(acceptMinutes) * 60 }
        public var doneInterval: TimeInterval { TimeInterval(doneMinutes) * 60 }
    }

    public var lifeCritical: Window
    public var urgent: Window
    public var normal: Window
    public var reopenHours: Int

    /// Throws if a window is not positive, longer than a week, or lets work be done before it must be accepted.
    public init(lifeCritical: Window, urgent: Window, normal: Window, reopenHours: Int) throws(DeadlinePolicyError) {
        self.lifeCritical = lifeCritical
        self.urgent = urgent
        self.normal = normal
        self.reopenHours = reopenHours
        try validate()
    }

    private init(unchecked lifeCritical: Window, _ urgent: Window, _ normal: Window, reopenHours: Int) {
        self.lifeCritical = lifeCritical
        self.urgent = urgent
        self.normal = normal
        self.reopenHours = reopenHours
    }

    /// Life-critical 15 min / 2 h, urgent 2 h / 12 h, normal 12 h / 48 h; reopen within 72 h.
    public static let standard = DeadlinePolicy(
        unchecked: Window(acceptMinutes: 15, doneMinutes: 120),
        Window(acceptMinutes: 120, doneMinutes: 720),
        Window(acceptMinutes: 720, doneMinutes: 2880),
        reopenHours: 72
    )

    public func window(for urgency: Urgency) -> Window {
        switch urgency {
        case .lifeCritical: lifeCritical
        case .urgent: urgent
        case .normal: normal
        }
    }

    public var reopenWindow: TimeInterval { TimeInterval(reopenHours) * 3600 }

    public func deadlines(for urgency: Urgency, from start: Date) -> RequestDeadlines {
        let window = window(for: urgency)
        return RequestDeadlines(acceptBy: start.addingTimeInterval(window.acceptInterval), doneBy: start.addingTimeInterval(window.doneInterval))
    }

    /// The longest a district may give any urgency to be accepted or done: a week. A need left
    /// longer is not being tracked, and the bound keeps every deadline a few days from now, far
    /// inside what dates and integers can hold.
    public static let maximumWindowMinutes = 7 * 24 * 60
    /// A household may reopen a closed request for at most a month.
    public static let maximumReopenHours = 30 * 24

    public func validate() throws(DeadlinePolicyError) {
        for urgency in Urgency.allCases {
            let window = window(for: urgency)
            for (minutes, name) in [(window.acceptMinutes, "accept_minutes"), (window.doneMinutes, "done_minutes")] {
                if minutes <= 0 { throw DeadlinePolicyError(code: .notPositive, field: "\(urgency.rawValue).\(name)") }
                if minutes > Self.maximumWindowMinutes {
                    throw DeadlinePolicyError(code: .tooLong, field: "\(urgency.rawValue).\(name)", maximum: Self.maximumWindowMinutes)
                }
            }
            if window.acceptMinutes > window.doneMinutes { throw DeadlinePolicyError(code: .acceptAfterDone, field: "\(urgency.rawValue).accept_minutes") }
        }
        if reopenHours <= 0 { throw DeadlinePolicyError(code: .notPositive, field: "reopen_hours") }
        if reopenHours > Self.maximumReopenHours { throw DeadlinePolicyError(code: .tooLong, field: "reopen_hours", maximum: Self.maximumReopenHours) }
    }

    private enum CodingKeys: String, CodingKey {
        case lifeCritical = "life_critical", urgent, normal
        case reopenHours = "reopen_hours"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let standard = Self.standard
        self.init(
            unchecked: try container.decodeIfPresent(Window.self, forKey: .lifeCritical) ?? standard.lifeCritical,
            try container.decodeIfPresent(Window.self, forKey: .urgent) ?? standard.urgent,
            try container.decodeIfPresent(Window.self, forKey: .normal) ?? standard.normal,
            reopenHours: try container.decodeIfPresent(Int.self, forKey: .reopenHours) ?? standard.reopenHours
        )
        // A district's override is checked where it is read, so a bad one never reaches a request.
        try validate()
    }
}

public struct RequestDeadlines: Sendable, Hashable {
    public var acceptBy: Date
    public var doneBy: Date
}

/// Why a district's deadline policy was refused. A 400/422 for the admin who typed it, not a 409.
public struct DeadlinePolicyError: Error, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case notPositive = "not_positive"
        case tooLong = "too_long"
        case acceptAfterDone = "accept_after_done"
    }

    public var code: Code
    /// The JSON field at fault, e.g. "urgent.accept_minutes".
    public var field: String
    /// The largest value allowed, for `tooLong`, in the field's own unit.
    public var maximum: Int?

    public init(code: Code, field: String, maximum: Int? = nil) {
        self.code = code
        self.field = field
        self.maximum = maximum
    }

    public var catalogueKey: String { "requests.policy.\(code.rawValue)" }

    /// The values the catalogue message names.
    public var arguments: [String: String] {
        var arguments = ["field": field]
        if let maximum { arguments["maximum"] = "\(maximum)" }
        return arguments
    }

    public func message(in language: Language) -> String {
        Catalogue.text(catalogueKey, language, arguments)
    }
}
