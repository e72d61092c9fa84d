import Foundation
import LinliCore

/// Times as pages show them: Shanghai's clock, the way each language writes a date, and spans
/// people read at a glance ("还剩 2 小时 5 分钟", "overdue by 15 min").
enum PageTime {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .current

    /// "12月6日 08:30" or "6 Dec 08:30".
    static func dateTime(_ date: Date, _ language: Language) -> String {
        guard date.isRepresentable else { return Catalogue.text("time.invalid", language) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        let (month, day, hour, minute) = (parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0)
        let clock = String(format: "%02d:%02d", hour, minute)
        switch language {
        case .zhHans: return "\(month)月\(day)日 \(clock)"
        case .en: return "\(day) \(monthNames[(month - 1 + 12) % 12]) \(clock)"
        }
    }

    /// "12/6" or "6 Dec": a day on the board's chart.
    static func day(_ date: Date, _ language: Language) -> String {
        guard date.isRepresentable else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let parts = calendar.dateComponents([.month, .day], from: date)
        let (month, day) = (parts.month ?? 1, parts.day ?? 1)
        switch language {
        case .zhHans: return "\(month)/\(day)"
        case .en: return "\(day) \(monthNames[(month - 1 + 12) % 12])"
        }
    }

    /// "还剩 2 小时 5 分钟" before the deadline, "已超时 15 分钟" after it. Days for long spans, so an
    /// old request does not read "overdue by 312 h".
    static func span(until deadline: Date, now: Date, _ language: Language) -> String {
        guard deadline.isRepresentable, now.isRepresentable else { return Catalogue.text("time.invalid", language) }
        let minutes = Int(min(abs(deadline.timeIntervalSince(now)) / 60, 1_000_000).rounded(.up))
        let span: String
        if minutes >= 48 * 60 {
            span = Catalogue.text("requests.page.days", language, ["d": "\(minutes / (24 * 60))"])
        } else if minutes >= 60 {
            span = Catalogue.text("requests.page.hours_minutes", language, ["h": "\(minutes / 60)", "m": "\(minutes % 60)"])
        } else {
            span = Catalogue.text("requests.page.minutes", language, ["m": "\(minutes)"])
        }
        return Catalogue.text(deadline < now ? "requests.page.overdue_by" : "requests.page.due_in", language, ["span": span])
    }

    private static let monthNames = CivilDate.englishMonthAbbreviations
}
