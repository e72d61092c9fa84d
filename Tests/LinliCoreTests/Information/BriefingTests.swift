import Foundation
import LinliCore
import Testing

@Suite("Briefings: the drafted lines leave out what a compound does not use; charts are well-formed SVG whatever the numbers and names")
struct BriefingTests {
    static func figures(medicine: Int? = 12, relief: Int? = nil, visited: Int? = 180, total: Int? = 240, overdue: Int = 0) -> BriefingFigures {
        BriefingFigures(placeName: "明月小区", day: "2022-04-14", requestsFiled: 37, requestsDone: 31, requestsOverdue: overdue, medicineHouseholds: medicine,
                        reliefHouseholds: relief, surveyVisited: visited, surveyHouseholds: total, volunteersOnDuty: nil,
                        week: (8...14).map { .init(day: "04-\($0)", filed: $0 * 3, done: $0 * 2) })
    }

    @Test("each part only where it has figures, in both languages")
    func lines() {
        let chinese = BriefingDraft.lines(Self.figures(), .zhHans)
        #expect(chinese == ["今天收到居民诉求 37 件，办结 31 件。", "没有超时未办的诉求。", "配药专员为 12 户配回了药。", "摸排走访 180 户，共 240 户（75%）。"])
        let english = BriefingDraft.lines(Self.figures(medicine: nil, relief: 300, visited: nil, overdue: 2), .en)
        #expect(english == ["Residents filed 37 requests today; 31 were done.", "2 requests are overdue and have been passed up.",
                            "Relief supplies reached 300 households."])
        // More visits than households (a household visited twice) never reads over 100 %.
        #expect(BriefingDraft.lines(Self.figures(visited: 300, total: 240), .en).last == "The door-to-door survey reached 300 of 240 households (100%).")
        #expect(!BriefingDraft.lines(Self.figures(visited: 0, total: 0), .en).contains { $0.contains("survey") }, "no households, no survey line")
    }

    @Test("the chart parses as XML, has a bar per day and series and its title; names are escaped; extreme values draw")
    func chart() throws {
        let week = Self.figures().week
        let svg = BriefingChart.bars(title: "近七天 <诉求> & \"办结\"", labels: week.map(\.day), series: [("收到", week.map(\.filed)), ("办结", week.map(\.done))])
        let counts = try #require(Self.elements(svg), "not well-formed: \(svg)")
        #expect(counts["rect"] == 14 && counts["text"] == 7 && counts["svg"] == 1 && counts["title"] == 15)
        #expect(svg.contains("&lt;诉求&gt; &amp; &quot;办结&quot;"))
        // The check itself refuses what a browser would not draw.
        #expect(Self.elements("<svg><rect></svg>") == nil && Self.elements("<svg><title>a & b</title></svg>") == nil && Self.elements("<svg><g></g>") == nil)
        for values in [[Int.max, 0, -5], [], [0, 0]] {
            let drawn = BriefingChart.bars(title: "t", labels: values.map { "\($0)" }, series: [("s", values)], width: Int.max, height: Int.min)
            #expect(Self.elements(drawn) != nil && !drawn.contains("nan") && !drawn.contains("inf"), "\(values)")
        }
    }

    /// The elements of `markup` by name when every tag is closed in order and no `<` or `&`
    /// stands bare in text (the well-formedness a browser's SVG parser needs here), else nil.
    static func elements(_ markup: String) -> [String: Int]? {
        var counts: [String: Int] = [:]
        var open: [String] = []
        var rest = Substring(markup)
        while let start = rest.firstIndex(of: "<") {
            let text = rest[..<start]
            if text.contains("&") && text.split(separator: "&").dropFirst().contains(where: { !($0.hasPrefix("amp;") || $0.hasPrefix("lt;") || $0.hasPrefix("gt;") || $0.hasPrefix("quot;") || $0.hasPrefix("#39;")) }) {
                return nil
            }
            guard let end = rest[start...].firstIndex(of: ">") else { return nil }
            let tag = rest[rest.index(after: start)..<end]
            if tag.hasPrefix("/") {
                guard open.popLast() == String(tag.dropFirst()) else { return nil }
            } else {
                let name = String(tag.prefix { $0 != " " && $0 != "/" })
                if tag.contains("<") || tag.filter({ $0 == "\"" }).count % 2 != 0 { return nil }
                counts[name, default: 0] += 1
                if !tag.hasSuffix("/") { open.append(name) }
            }
            rest = rest[rest.index(after: end)...]
        }
        return open.isEmpty ? counts : nil
    }
}
