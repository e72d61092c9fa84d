import Foundation

/// What a compound's day comes to, for its daily briefing. A part is nil where the compound does
/// not use that capability (no medicine runs, no relief, no survey): the briefing leaves it out
/// rather than reporting a misleading zero.
public struct BriefingFigures: Sendable, Hashable, Codable {
    public struct Day: Sendable, Hashable, Codable {
        public var day: String
        public var filed: Int
        public var done: Int

        public init(day: String, filed: Int, done: Int) {
            self.day = day
            self.filed = filed
            self.done = done
        }
    }

    public var placeName: String
    /// `yyyy-MM-dd`, Shanghai time.
    public var day: String
    public var requestsFiled: Int
    public var requestsDone: Int
    public var requestsOverdue: Int
    public var medicineHouseholds: Int?
    public var reliefHouseholds: Int?
    public var surveyVisited: Int?
    public var surveyHouseholds: Int?
    public var volunteersOnDuty: Int?
    /// The seven days up to `day`, oldest first, for the chart.
    public var week: [Day]

    public init(placeName: String, day: String, requestsFiled: Int, requestsDone: Int, requestsOverdue: Int, medicineHouseholds: Int?, reliefHouseholds: Int?,
                surveyVisited: Int?, surveyHouseholds: Int?, volunteersOnDuty: Int?, week: [Day]) {
        self.placeName = placeName
        self.day = day
        self.requestsFiled = requestsFiled
        self.requestsDone = requestsDone
        self.requestsOverdue = requestsOverdue
        self.medicineHouseholds = medicineHouseholds
        self.reliefHouseholds = reliefHouseholds
        self.surveyVisited = surveyVisited
        self.surveyHouseholds = surveyHouseholds
        self.volunteersOnDuty = volunteersOnDuty
        self.week = week
    }

    enum CodingKeys: String, CodingKey {
        case placeName = "place_name", day, requestsFiled = "requests_filed", requestsDone = "requests_done", requestsOverdue = "requests_overdue"
        case medicineHouseholds = "medicine_households", reliefHouseholds = "relief_households", surveyVisited = "survey_visited"
        case surveyHouseholds = "survey_households", volunteersOnDuty = "volunteers_on_duty", week
    }
}

public typealias BriefingID = ID<Briefing>

/// A day in Shanghai, midnight to midnight, with its `yyyy-MM-dd` label: the day as care
/// schedules count it (`CareSchedule`: UTC+8 all year, no time-zone database needed).
public struct BriefingDay: Sendable, Hashable {
    public var label: String
    public var start: Date
    public var end: Date { start.addingTimeInterval(86_400) }

    /// The day a `yyyy-MM-dd` label names, or nil for text that is no day (2022-02-30) or lies
    /// outside 2000–2100.
    public init?(_ label: String) {
        guard CareSchedule.isDayText(label) else { return nil }
        let parts = label.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        self.init(localDay: CareSchedule.daysSinceEpoch(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// The Shanghai day `moment` falls in.
    public init(containing moment: Date) {
        self.init(localDay: CareSchedule.localDay(moment.clampedToRepresentable))
    }

    init(localDay: Int) {
        label = CareSchedule.dayText(localDay)
        start = CareSchedule.start(ofLocalDay: localDay)
    }

    /// The day `count` days before this one.
    public func before(_ count: Int) -> BriefingDay {
        BriefingDay(containing: start.addingTimeInterval(TimeInterval(-count) * 86_400 + 3_600))
    }

    /// The seven days up to and including this one, oldest first.
    public var week: [BriefingDay] { (0..<7).reversed().map { before($0) } }
}

public enum BriefingState: String, Sendable, Codable, CaseIterable {
    /// Drafted from the data (by the morning job or by staff), editable.
    case draft
    /// Approved by committee staff: public, pushed, and no longer editable.
    case published
}

public enum BriefingRefusal: String, Error, Sendable {
    /// A published briefing is what residents read; it is not changed afterwards.
    case published
}

/// A place's daily briefing: the figures as they were when it was drafted (so the charts do not
/// move after publishing) and the text committee staff edited from the drafted lines.
public struct Briefing: Sendable, Hashable {
    public var id: BriefingID
    public var placeID: PlaceID
    /// `yyyy-MM-dd`, Shanghai time.
    public var day: String
    public var state: BriefingState
    public var text: String
    public var figures: BriefingFigures
    public var draftedAt: Date
    public var editedBy: UserID?
    public var editedAt: Date?
    public var publishedBy: UserID?
    public var publishedAt: Date?

    public init(id: BriefingID, placeID: PlaceID, day: String, state: BriefingState, text: String, figures: BriefingFigures, draftedAt: Date,
                editedBy: UserID? = nil, editedAt: Date? = nil, publishedBy: UserID? = nil, publishedAt: Date? = nil) {
        self.id = id
        self.placeID = placeID
        self.day = day
        self.state = state
        self.text = text
        self.figures = figures
        self.draftedAt = draftedAt
        self.editedBy = editedBy
        self.editedAt = editedAt
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }

    /// The text's lines as shown and pushed: trimmed, blank lines left out.
    public var lines: [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

public enum BriefingRules {
    /// Enough for a long day's briefing; WeCom cuts Markdown at 4,096 bytes anyway.
    public static let maximumText = 3_000

    /// The drafted text: one line each, in the committee's language.
    public static func draftText(_ figures: BriefingFigures, _ language: Language = .default) -> String {
        BriefingDraft.lines(figures, language).joined(separator: "\n")
    }

    public static func edit(_ briefing: Briefing) throws(BriefingRefusal) {
        guard briefing.state == .draft else { throw .published }
    }

    public static func publish(_ briefing: Briefing) throws(BriefingRefusal) {
        guard briefing.state == .draft else { throw .published }
    }

    /// The day as a heading shows it, the way pages write dates: 12月6日, 6 Dec.
    public static func dayLabel(_ day: String, _ language: Language) -> String {
        let parts = day.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let date = Int(parts[2]), (1...12).contains(month) else { return day }
        switch language {
        case .zhHans: return "\(month)月\(date)日"
        case .en: return "\(date) \(CivilDate.englishMonthAbbreviations[month - 1])"
        }
    }

    /// The robot message: the text as Markdown list items (what staff typed shown as typed),
    /// the plain text for receivers that read no Markdown, and the public page's link.
    public static func message(_ briefing: Briefing, placeName: String, link: String) -> NotificationMessage {
        let title = Catalogue.text("briefing.notify.title", .default, ["place": placeName, "day": dayLabel(briefing.day, .default)])
        let lines = briefing.lines
        return NotificationMessage(kind: "briefing.published", subjectID: "briefing:\(briefing.id)", title: title, text: lines.joined(separator: "\n"), link: link,
                                   markdown: lines.map { "- " + WebhookPayload.markdownEscaped($0) }.joined(separator: "\n"))
    }
}

/// A briefing's text, drafted from its figures in one language; committee staff edit it before
/// it is approved.
public enum BriefingDraft {
    public static func lines(_ figures: BriefingFigures, _ language: Language) -> [String] {
        var lines = [Catalogue.text("briefing.requests", language, ["filed": "\(figures.requestsFiled)", "done": "\(figures.requestsDone)"])]
        lines.append(figures.requestsOverdue > 0
            ? Catalogue.text("briefing.overdue", language, ["count": "\(figures.requestsOverdue)"])
            : Catalogue.text("briefing.none_overdue", language))
        if let households = figures.medicineHouseholds {
            lines.append(Catalogue.text("briefing.medicine", language, ["households": "\(households)"]))
        }
        if let households = figures.reliefHouseholds {
            lines.append(Catalogue.text("briefing.relief", language, ["households": "\(households)"]))
        }
        if let visited = figures.surveyVisited, let total = figures.surveyHouseholds, total > 0 {
            let percent = Int((Double(min(visited, total)) / Double(total) * 100).rounded())
            lines.append(Catalogue.text("briefing.survey", language, ["visited": "\(visited)", "total": "\(total)", "percent": "\(percent)"]))
        }
        if let volunteers = figures.volunteersOnDuty {
            lines.append(Catalogue.text("briefing.volunteers", language, ["count": "\(volunteers)"]))
        }
        return lines
    }
}

/// The briefing's two charts: the week of requests filed and done, and the day's figures.
public enum BriefingCharts {
    public struct Chart: Sendable, Hashable {
        public var title: String
        public var svg: String
    }

    public static func charts(_ figures: BriefingFigures, _ language: Language) -> [Chart] {
        let weekTitle = Catalogue.text("briefing.chart.week", language)
        // `MM-dd`: seven full dates do not fit a phone's width.
        let week = BriefingChart.bars(title: weekTitle, labels: figures.week.map { String($0.day.suffix(5)) },
                                      series: [(Catalogue.text("briefing.series.filed", language), figures.week.map(\.filed)),
                                               (Catalogue.text("briefing.series.done", language), figures.week.map(\.done))])
        var bars: [(String, Int)] = [(Catalogue.text("briefing.series.filed", language), figures.requestsFiled),
                                     (Catalogue.text("briefing.series.done", language), figures.requestsDone),
                                     (Catalogue.text("briefing.series.overdue", language), figures.requestsOverdue)]
        if let households = figures.medicineHouseholds { bars.append((Catalogue.text("briefing.series.medicine", language), households)) }
        if let households = figures.reliefHouseholds { bars.append((Catalogue.text("briefing.series.relief", language), households)) }
        if let visited = figures.surveyVisited { bars.append((Catalogue.text("briefing.series.survey", language), visited)) }
        let dayTitle = Catalogue.text("briefing.chart.day", language, ["day": BriefingRules.dayLabel(figures.day, language)])
        let day = BriefingChart.bars(title: dayTitle, labels: bars.map(\.0), series: [(Catalogue.text("briefing.series.count", language), bars.map(\.1))])
        return [Chart(title: weekTitle, svg: week), Chart(title: dayTitle, svg: day)]
    }
}

/// Charts drawn on the server as SVG: no script on the page, the same picture printed, and a
/// title a screen reader reads.
public enum BriefingChart {
    /// Bars side by side for each label, one colour a series, scaled to the largest value; a
    /// negative value is drawn as none.
    public static func bars(title: String, labels: [String], series: [(name: String, values: [Int])], width: Int = 360, height: Int = 180) -> String {
        let width = min(max(width, 120), 2_000)
        let height = min(max(height, 80), 1_000)
        let colours = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e"]
        // Two series or more get a legend along the top: the colours alone say nothing.
        let legend = series.count > 1
        // A single series leaves room above the tallest bar for its number.
        let top = legend ? 28.0 : series.count == 1 ? 22.0 : 8.0, bottom = 28.0, left = 8.0
        let plotHeight = Double(height) - top - bottom
        let largest = max(1, series.flatMap(\.values).map { max(0, $0) }.max() ?? 1)
        let groups = max(1, labels.count)
        let groupWidth = (Double(width) - left * 2) / Double(groups)
        let barWidth = max(1, (groupWidth - 6) / Double(max(1, series.count)))
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(width) \#(height)" role="img" class="chart" font-family="sans-serif"><title>\#(escape(title))</title>"#
        if legend {
            for (seriesIndex, entry) in series.enumerated() {
                let x = left + Double(seriesIndex) * 90
                svg += #"<rect x="\#(format(x))" y="6.0" width="12.0" height="12.0" fill="\#(colours[seriesIndex % colours.count])"></rect>"#
                svg += #"<text x="\#(format(x + 16))" y="16.0" font-size="12">\#(escape(entry.name))</text>"#
            }
        }
        for (index, label) in labels.enumerated() {
            let x = left + Double(index) * groupWidth
            for (seriesIndex, entry) in series.enumerated() {
                let value = index < entry.values.count ? max(0, entry.values[index]) : 0
                let barHeight = plotHeight * Double(value) / Double(largest)
                let barX = x + 3 + Double(seriesIndex) * barWidth
                svg += #"<rect x="\#(format(barX))" y="\#(format(top + plotHeight - barHeight))" width="\#(format(barWidth))" height="\#(format(barHeight))" fill="\#(colours[seriesIndex % colours.count])"><title>\#(escape(entry.name)) \#(escape(label)): \#(value)</title></rect>"#
                // One series: its numbers over the bars, which paper and a glance need.
                if series.count == 1 {
                    svg += #"<text x="\#(format(barX + barWidth / 2))" y="\#(format(max(12, top + plotHeight - barHeight - 4)))" text-anchor="middle" font-size="12">\#(value)</text>"#
                }
            }
            svg += #"<text x="\#(format(x + groupWidth / 2))" y="\#(height - 10)" text-anchor="middle" font-size="11">\#(escape(label))</text>"#
        }
        return svg + "</svg>"
    }

    static func format(_ value: Double) -> String {
        String(format: "%.1f", value.isFinite ? value : 0)
    }

    /// Text as XML character data or an attribute value: the SVG charts and the XLSX parts.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
