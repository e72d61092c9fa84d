import Foundation

/// When plan items fall due. Care happens on Shanghai's clock (UTC+8; China has kept no daylight
/// saving time since 1991, so the offset is fixed and needs no time zone database).
public enum CareSchedule {
    public static let utcOffset: TimeInterval = 8 * 3600
    static let day: TimeInterval = 24 * 3600

    /// The local day a moment falls on, as days since 1970-01-01.
    public static func localDay(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + utcOffset) / day).rounded(.down))
    }

    /// The moment a local day starts (local midnight).
    public static func start(ofLocalDay day: Int) -> Date {
        Date(timeIntervalSince1970: Double(day) * Self.day - utcOffset)
    }

    /// ISO weekday of a local day: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(ofLocalDay day: Int) -> Int {
        ((day + 3) % 7 + 7) % 7 + 1
    }

    /// "2022-04-15" for a local day.
    public static func dayText(_ day: Int) -> String {
        let date = CivilDate(daysSinceUnixEpoch: day)
        return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }

    /// The moments `item` is due in `[from, to)`: on its weekdays (every day when it names none)
    /// at its minute, or once on its day. An inactive item or a minute out of range is never due.
    public static func dueTimes(of item: CarePlanItem, from: Date, to: Date) -> [Date] {
        guard item.active, (0..<1440).contains(item.dueMinute), from < to, to.timeIntervalSince(from) <= 31 * day else { return [] }
        var times: [Date] = []
        for localDay in localDay(from)...localDay(to) {
            if let onDay = item.onDay {
                guard onDay == dayText(localDay) else { continue }
            } else if !item.weekdays.isEmpty, !item.weekdays.contains(weekday(ofLocalDay: localDay)) {
                continue
            }
            let due = start(ofLocalDay: localDay).addingTimeInterval(Double(item.dueMinute) * 60)
            if due >= from && due < to { times.append(due) }
        }
        return times
    }

    /// "07:30" for a minute of the day, or nil when out of range.
    public static func clock(_ minute: Int) -> String? {
        guard (0..<1440).contains(minute) else { return nil }
        return String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    /// The minute of the day "07:30" names, or nil.
    public static func minute(ofClock text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// Whether "2022-04-15" is a real date, so a one-off item's day is stored in one spelling.
    public static func isDayText(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else { return false }
        // Round trip through the day count refuses 31 April.
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return dayText(days) == text
    }

    /// Howard Hinnant's `days_from_civil`.
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// What happens when a check-in is not ticked off: the primary helper is reminded at the due
/// time, the backup helper half an hour later, and the compound's leads and committee two hours
/// later. `CareCheckIn.escalationLevel` counts the alerts sent, so each goes out once.
public enum CareCheckInEscalation {
    public enum Audience: String, Sendable, Hashable {
        case primary, backup, compound
    }

    public struct Step: Sendable, Hashable {
        /// The level the check-in reaches with this alert.
        public var level: Int
        public var audience: Audience
        public var at: Date
    }

    /// Offsets from the due time of levels 1, 2 and 3.
    public static let ladder: [(after: TimeInterval, audience: Audience)] = [(0, .primary), (30 * 60, .backup), (2 * 3600, .compound)]

    /// The alert due now for a check-in still open at `level`, or nil when the next one is not due
    /// yet (or none is left).
    public static func step(dueAt: Date, level: Int, done: Bool, now: Date) -> Step? {
        guard !done, let next = nextStep(dueAt: dueAt, level: level), next.at <= now else { return nil }
        return next
    }

    /// The next alert after `level`, due or not.
    public static func nextStep(dueAt: Date, level: Int) -> Step? {
        guard level >= 0, level < ladder.count else { return nil }
        let rung = ladder[level]
        return Step(level: level + 1, audience: rung.audience, at: dueAt.addingTimeInterval(rung.after))
    }
}
