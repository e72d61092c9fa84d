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
        #expect(chinese == ["当天收到居民诉求 37 件，办结 31 件。", "没有超时未办的诉求。", "配药专员为 12 户配回了药。", "摸排走访 180 户，共 240 户（75%）。"])
        let english = BriefingDraft.lines(Self.figures(medicine: nil, relief: 300, visited: nil, overdue: 2), .en)
        #expect(english == ["Residents filed 37 requests that day; 31 were done.", "2 requests are overdue and have been passed up.",
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
        #expect(counts["rect"] == 14 + 2 && counts["text"] == 7 + 2 && counts["svg"] == 1 && counts["title"] == 15, "a bar a day and series, and the legend's two")
        #expect(svg.contains("&lt;诉求&gt; &amp; &quot;办结&quot;"))
        // The check itself refuses what a browser would not draw.
        #expect(Self.elements("<svg><rect></svg>") == nil && Self.elements("<svg><title>a & b</title></svg>") == nil && Self.elements("<svg><g></g>") == nil)
        for values in [[Int.max, 0, -5], [], [0, 0]] {
            let drawn = BriefingChart.bars(title: "t", labels: values.map { "\($0)" }, series: [("s", values)], width: Int.max, height: Int.min)
            #expect(Self.elements(drawn) != nil && !drawn.contains("nan") && !drawn.contains("inf"), "\(values)")
        }
    }

    @Test("days in Shanghai: labels and midnights agree with Foundation's calendar over decades, and text that is no day is refused")
    func days() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        var random = SystemRandomNumberGenerator()
        // Every day of 2022 and random moments from 2000 to 2100.
        let moments = (0..<365).map { Date(timeIntervalSince1970: 1_640_966_400 + Double($0) * 86_400 + 3_600) }
            + (0..<2_000).map { _ in Date(timeIntervalSince1970: Double.random(in: 946_684_800...4_102_444_800, using: &random)) }
        for moment in moments {
            let day = BriefingDay(containing: moment)
            let parts = calendar.dateComponents([.year, .month, .day], from: moment)
            #expect(day.label == String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0), "\(moment)")
            #expect(day.start == calendar.startOfDay(for: moment) && day.start <= moment && moment < day.end, "\(moment)")
            #expect(BriefingDay(day.label) == day)
            #expect(day.before(1).end == day.start && day.week.count == 7 && day.week.last == day && day.week.first == day.before(6))
        }
        for text in ["2022-02-29", "2022-13-01", "2022-04-31", "1999-12-31", "2101-01-01", "２０２２-04-01", "2022-4-1", "", "2022-04-01T00:00"] {
            #expect(BriefingDay(text) == nil, "\(text)")
        }
        #expect(BriefingDay("2024-02-29") != nil && BriefingDay(containing: .distantFuture).label.count == 10 && BriefingDay(containing: .distantPast).label.count == 10)
    }

    @Test("the robot message: lines as escaped Markdown list items for WeCom, Feishu and DingTalk, plain lines for the rest, the day in the title")
    func message() throws {
        let briefing = Briefing(id: 7, placeID: 3, day: "2022-04-14", state: .published, text: "当天收到居民诉求 37 件。\n\n  [点这里](http://evil.example) *急*  \n",
                                figures: Self.figures(), draftedAt: Date(timeIntervalSince1970: 0))
        let message = BriefingRules.message(briefing, placeName: "明月小区", link: "/briefings/7")
        #expect(message.title == "明月小区工作简报（4月14日）" && message.text == "当天收到居民诉求 37 件。\n[点这里](http://evil.example) *急*")
        #expect(message.markdown == "- 当天收到居民诉求 37 件。\n- \\[点这里\\](http://evil.example) \\*急\\*")
        func body(_ target: WebhookTarget) throws -> [String: Any] {
            let rendered = WebhookPayload.render(message, for: target, timestamp: Date(timeIntervalSince1970: 1_649_900_000), sign: { _, _ in Data([1, 2, 3]) })
            return try #require(try JSONSerialization.jsonObject(with: rendered.body) as? [String: Any])
        }
        let wecom = try body(.wecom(url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"))
        #expect(wecom["msgtype"] as? String == "markdown")
        #expect((wecom["markdown"] as? [String: Any])?["content"] as? String == "### 明月小区工作简报（4月14日）\n" + (message.markdown ?? "") + "\n[/briefings/7](/briefings/7)")
        let dingtalk = try body(.dingtalk(url: "https://oapi.dingtalk.com/robot/send?access_token=t", secret: nil))
        #expect((dingtalk["markdown"] as? [String: Any])?["text"] as? String
                == "#### 明月小区工作简报（4月14日）\n\n- 当天收到居民诉求 37 件。\n\n- \\[点这里\\](http://evil.example) \\*急\\*\n\n[/briefings/7](/briefings/7)")
        let feishu = try body(.feishu(url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: "s"))
        let card = try #require(feishu["card"] as? [String: Any])
        #expect(feishu["msg_type"] as? String == "interactive" && feishu["sign"] as? String == "AQID")
        #expect(((card["header"] as? [String: Any])?["title"] as? [String: Any])?["content"] as? String == "明月小区工作简报（4月14日）")
        #expect((card["elements"] as? [[String: Any]])?.first?["tag"] as? String == "markdown")
        let plain = try body(.http(url: "http://127.0.0.1:9/x", secret: "s"))
        #expect(plain["text"] as? String == message.text && plain["markdown"] == nil)
        // A briefing longer than WeCom takes is cut on a character, keeping the title and the link.
        var long = briefing
        long.text = String(repeating: "配药专员为十二户配回了药。\n", count: 200)
        let longMessage = BriefingRules.message(long, placeName: "明月小区", link: "/briefings/7")
        let rendered = WebhookPayload.render(longMessage, for: .wecom(url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"), timestamp: Date(), sign: { _, _ in Data() })
        let content = try #require(((try JSONSerialization.jsonObject(with: rendered.body) as? [String: Any])?["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content.utf8.count <= 4_096 && content.hasPrefix("### 明月小区") && content.hasSuffix("…\n[/briefings/7](/briefings/7)"))
    }

    @Test("the page's two charts: the week of requests and the day's parts, leaving out what the compound does not use")
    func charts() throws {
        let charts = BriefingCharts.charts(Self.figures(medicine: nil, relief: 300), .en)
        #expect(charts.map(\.title) == ["Requests over the last seven days", "14 Apr at a glance"])
        let day = try #require(Self.elements(charts[1].svg))
        #expect(day["rect"] == 5 && charts[1].svg.contains("Relief") && !charts[1].svg.contains("Medicine"), "filed, done, overdue, relief, surveyed")
        #expect(try #require(Self.elements(charts[0].svg))["rect"] == 14 + 2 && charts[0].svg.contains(">Filed</text>"), "the week has a legend")
        #expect(day["text"] == 5 + 5 && charts[1].svg.contains(">300</text>"), "one series: its numbers over the bars, no legend")
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
