import Foundation

/// What a compound's day comes to, for its daily briefing. A part is nil where the compound does
/// not use that capability (no medicine runs, no relief, no survey): the briefing leaves it out
/// rather than reporting a misleading zero.
public struct BriefingFigures: Sendable, Hashable {
    public struct Day: Sendable, Hashable {
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

/// Charts drawn on the server as SVG: no script on the page, the same picture printed, and a
/// title a screen reader reads.
public enum BriefingChart {
    /// Bars side by side for each label, one colour a series, scaled to the largest value; a
    /// negative value is drawn as none.
    public static func bars(title: String, labels: [String], series: [(name: String, values: [Int])], width: Int = 360, height: Int = 180) -> String {
        let width = min(max(width, 120), 2_000)
        let height = min(max(height, 80), 1_000)
        let colours = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e"]
        let top = 8.0, bottom = 28.0, left = 8.0
        let plotHeight = Double(height) - top - bottom
        let largest = max(1, series.flatMap(\.values).map { max(0, $0) }.max() ?? 1)
        let groups = max(1, labels.count)
        let groupWidth = (Double(width) - left * 2) / Double(groups)
        let barWidth = max(1, (groupWidth - 6) / Double(max(1, series.count)))
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(width) \#(height)" role="img" class="chart"><title>\#(escape(title))</title>"#
        for (index, label) in labels.enumerated() {
            let x = left + Double(index) * groupWidth
            for (seriesIndex, entry) in series.enumerated() {
                let value = index < entry.values.count ? max(0, entry.values[index]) : 0
                let barHeight = plotHeight * Double(value) / Double(largest)
                let barX = x + 3 + Double(seriesIndex) * barWidth
                svg += #"<rect x="\#(format(barX))" y="\#(format(top + plotHeight - barHeight))" width="\#(format(barWidth))" height="\#(format(barHeight))" fill="\#(colours[seriesIndex % colours.count])"><title>\#(escape(entry.name)) \#(escape(label)): \#(value)</title></rect>"#
            }
            svg += #"<text x="\#(format(x + groupWidth / 2))" y="\#(height - 10)" text-anchor="middle" font-size="11">\#(escape(label))</text>"#
        }
        return svg + "</svg>"
    }

    static func format(_ value: Double) -> String {
        String(format: "%.1f", value.isFinite ? value : 0)
    }

    /// Text as XML character data or an attribute value.
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
