import Foundation
import PropertyBased
import Testing
@testable import LinliCore

/// Generators of chain-list text: pieces people type, plus arbitrary Unicode.
enum ChainListGen {
    /// Fragments that exercise the grammar's edges; none contains a line break, so a test knows
    /// how many lines it joined.
    static let fragment = Gen<String?>.element(of: [
        "1.", "2、", "3)", "(4)", "①", "#接龙", "接龙", "例", "例：", "格式", " ", "　", "\t",
        "3", "12", "201", "1102", "0", "99999999999999999999", "-", "－", "#", "＃", "号楼", "栋", "幢", "号",
        "单元", "弄", "支弄", "室", "座", "A", "x", "X", "×", "*", "✖", "两", "十", "十十", "一百零五", "第", "三",
        "张", "李阿姨", "先生/女士", "欧阳", "小王", "鸡蛋", "黄瓜", "连花清瘟", "盒", "箱", "份", "斤", "公斤", "g",
        "已付", "已转", "✅", "✔️", "付了", "未付", "阴性", "放门口", "共", "各", ".", "5", ",", "，", ":", "(", ")",
        "（", "）", "【", "】", "\u{0}", "\u{200B}", "\u{FE0F}", "e\u{301}", "\u{301}", "👨‍👩‍👧", "🇨🇳", "\"", "\\", "/",
        "3️⃣", "🔟", "\u{20E3}", "#️⃣", "楼号", "房号：", "单元号", "二零三", "〇", " - ", "号 楼",
    ]).map { $0 ?? "" }

    /// Any scalar outside the surrogates, with line breaks swapped out so the line count stays known.
    static let scalar = Gen<UnicodeScalar>.unicodeScalar(in: "\u{0}"..."\u{D7FF}").map { scalar -> String in
        let text = String(Character(scalar))
        return text.contains(where: \.isNewline) ? "¶" : text
    }

    static let cjk = Gen<UnicodeScalar>.unicodeScalar(in: "\u{4E00}"..."\u{9FA5}").map { String(Character($0)) }

    static let piece = Gen.oneOf(fragment.eraseToAnySequence(), fragment.eraseToAnySequence(), scalar.eraseToAnySequence(), cjk.eraseToAnySequence())

    static let line = piece.array(of: 0...12).map { $0.joined() }

    static let lineBreak = Gen<String?>.element(of: ["\n", "\r\n", "\r", "\u{2028}", "\u{85}"]).map { $0 ?? "\n" }

    /// A message and the number of lines it was built from.
    static let message = zip(line.array(of: 1...25), lineBreak, Gen.bool).map { lines, lineBreak, terminated -> (String, Int) in
        if terminated { return (lines.map { $0 + lineBreak }.joined(), lines.count) }
        // Unterminated, the last line must not be empty: "a\n" + "" reads as one terminated line.
        return ((lines.dropLast() + [(lines.last ?? "") + "末"]).joined(separator: lineBreak), lines.count)
    }

    // MARK: - Well-formed entries

    static let surnames: [String] = ["王", "李", "张", "刘", "陈", "杨", "赵", "吴", "周", "徐", "孙", "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁"]

    static func chinese(_ number: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch number {
        case 1...9: return digits[number]
        case 10...19: return "十" + digits[number - 10]
        default: return digits[number / 10] + "十" + digits[number % 10]
        }
    }

    /// "3️⃣" for "3": digit, emoji presentation selector, combining keycap.
    static func keycapDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            (0x30...0x39).contains(scalar.value) ? [scalar, "\u{FE0F}", "\u{20E3}"] : [scalar]
        }))
    }

    static func fullWidthDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x30...0x39).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar : scalar
        }))
    }

    /// "203" as "二零三", the way a door number is read aloud.
    static func digitByDigit(_ number: String) -> String {
        String(number.compactMap { $0.wholeNumberValue.map { Array("零一二三四五六七八九")[$0] } })
    }

    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar : scalar
        }))
    }

    /// A household line written in one of the forms neighbours use, with what it must parse to.
    static let entryLine = zip(
        zip(Gen.int(in: 1...99), Gen.int(in: 1...9).optional(valueRate: 0.4), Gen.int(in: 1...33), Gen.int(in: 1...4)),
        zip(Gen.int(in: 0...7), Gen.int(in: 0...4), Gen.int(in: 1...20), Gen.int(in: 0...5)),
        zip(Gen<String?>.element(of: surnames), Gen<String?>.element(of: ["", "阿姨", "老师", "先生"]), Gen.bool, Gen.int(in: 0...4))
    ).map { address, quantity, person -> (String, ChainListEntry) in
        let (building, unit, floor, flat) = address
        let (addressForm, quantityForm, count, unitWordIndex) = quantity
        let (surname, honorific, paid, prefixForm) = person
        let room = String(floor * 100 + flat)
        let name = (surname ?? "王") + (honorific ?? "")
        var written: String
        switch (addressForm, unit) {
        case (0, let unit?): written = "\(building)-\(unit)-\(room)"
        case (0, nil): written = "\(building)-\(room)"
        case (1, let unit?): written = "\(building)号楼\(unit)单元\(room)"
        case (1, nil): written = "\(building)号楼\(room)"
        case (2, let unit?): written = "\(building)栋 \(unit)单元 \(room)室"
        case (2, nil): written = "\(building)栋 \(room)室"
        case (3, let unit?): written = "\(chinese(building))号楼\(chinese(unit))单元\(room)"
        case (3, nil): written = "第\(chinese(building))栋 \(room)"
        case (4, let unit?): written = "\(building)#\(unit)-\(room)"
        case (4, nil): written = "\(building)#\(room)"
        case (5, let unit?): written = fullWidth("\(building)-\(unit)-\(room)")
        case (5, nil): written = fullWidth("\(building)幢\(room)")
        case (6, let unit?): written = "\(building)号\(unit)单元 \(room)"
        case (6, nil): written = "\(building)/\(room)"
        case (_, let unit?): written = "楼号\(building) 单元号\(unit) 房号：\(room)"
        case (_, nil): written = "楼号：\(building) 室号\(digitByDigit(room))"
        }
        let unitWord = ["盒", "箱", "份", "斤", "袋", "瓶"][unitWordIndex]
        let item: ChainListItem
        switch quantityForm {
        case 0: item = ChainListItem(name: nil, quantity: count, unit: unitWord); written += " \(name) \(count)\(unitWord)"
        case 1: item = ChainListItem(name: nil, quantity: count, unit: nil); written += " \(name) ×\(count)"
        case 2: item = ChainListItem(name: nil, quantity: count, unit: nil); written += " \(name) *\(count)"
        case 3: item = ChainListItem(name: nil, quantity: count, unit: unitWord); written += " \(name) \(chinese(count))\(unitWord)"
        default: item = ChainListItem(name: "鸡蛋", quantity: count, unit: unitWord); written += " \(name) 鸡蛋\(count)\(unitWord)"
        }
        if paid { written += [" 已付", "✅", " 已转", " 付了"][count % 4] }
        written = ["", "1. ", "12、", "(3)", "7 "][prefixForm] + written
        let entry = ChainListEntry(
            line: 1, building: String(building), unit: unit.map(String.init), lane: nil, room: room,
            name: name, items: [item], paid: paid, note: nil
        )
        return (written, entry)
    }
}

@Suite("Chain-list properties")
struct ChainListPropertyTests {
    @Test("any input: no crash, every line accounted for exactly once, in order")
    func everyLineOnce() async {
        await propertyCheck(count: 400, input: ChainListGen.message) { message in
            let (text, lineCount) = message
            let parsed = ChainListParser.parse(text)
            #expect(parsed.map(\.line) == Array(stride(from: 1, through: lineCount, by: 1)), "\(text.debugDescription)")
            #expect(ChainListParser.lines(of: text).count == lineCount)
        }
    }

    @Test("a whitespace-only line is blank and nothing else is")
    func blankLines() async {
        await propertyCheck(count: 300, input: ChainListGen.message) { message in
            let lines = ChainListParser.lines(of: message.0)
            for (line, parsed) in zip(lines, ChainListParser.parse(message.0)) where Self.isWhitespaceOnly(line) {
                #expect(parsed.reason == .blank, "\(line.debugDescription)")
            }
        }
    }

    /// Every scalar a space: `Character.isWhitespace` asks only a character's first scalar, so it
    /// takes a space carrying a combining mark (" \u{0599}") for whitespace, where the mark is
    /// something a person should see.
    static func isWhitespaceOnly(_ line: Substring) -> Bool {
        line.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    @Test("a line of spaces of any width is blank; a space carrying a stray mark is shown, not taken for blank")
    func blankOrMarked() {
        #expect(ChainListParser.parse(" \u{3000}\t\u{00A0}\u{2003}").first?.reason == .blank)
        let marked = ChainListParser.parse(" \u{0599}")
        #expect(marked.count == 1)
        #expect(marked.first?.reason != .blank)
    }

    @Test("an entry always names a building, a 3–4 digit room and at least one item")
    func entriesAreComplete() async {
        await propertyCheck(count: 300, input: ChainListGen.message) { message in
            for entry in ChainListParser.parse(message.0).compactMap(\.entry) {
                #expect(!entry.building.isEmpty)
                #expect((3...4).contains(entry.room.count) && entry.room.allSatisfy(\.isASCII) && entry.room.allSatisfy(\.isNumber))
                #expect(!entry.items.isEmpty)
            }
        }
    }

    @Test("the JSON of any parse decodes to the same lines, one object per input line")
    func jsonRoundTrip() async throws {
        await propertyCheck(count: 300, input: ChainListGen.message) { message in
            let parsed = ChainListParser.parse(message.0)
            guard let json = try? ChainListJSON.encode(parsed) else {
                Issue.record("encoding failed for \(message.0.debugDescription)")
                return
            }
            #expect(json.split(separator: "\n").count == parsed.count)
            #expect((try? ChainListJSON.decodeLines(json)) == parsed)
        }
    }

    @Test("a household line in any usual form parses to what was written")
    func wellFormedLines() async {
        await propertyCheck(count: 500, input: ChainListGen.entryLine) { sample in
            let (line, expected) = sample
            #expect(ChainListParser.parse(line) == [.entry(expected)], "\(line)")
        }
    }

    @Test("digits typed as keycap emoji or full width parse as the ASCII digits they show")
    func digitLookAlikes() async {
        await propertyCheck(count: 300, input: zip(ChainListGen.line, ChainListGen.entryLine)) { clutter, sample in
            for line in [clutter, sample.0] {
                let ascii = ChainListParser.parse(line)
                #expect(ChainListParser.parse(ChainListGen.keycapDigits(line)) == ascii, "\(line.debugDescription)")
                #expect(ChainListParser.parse(ChainListGen.fullWidthDigits(line)) == ascii, "\(line.debugDescription)")
            }
        }
    }

    @Test("entries keep their place among clutter")
    func entriesAmongClutter() async {
        let input = zip(ChainListGen.entryLine.array(of: 1...10), ChainListGen.line.array(of: 10))
        await propertyCheck(count: 200, input: input) { entries, clutter in
            // Clutter that happens to look like a household may parse as an entry; only the
            // planted lines are checked.
            var lines: [String] = ["#接龙 本楼团购"]
            var planted: [Int: ChainListEntry] = [:]
            for (index, (line, entry)) in entries.enumerated() {
                lines.append("例" + clutter[index].filter { !$0.isNewline })
                lines.append(line)
                var numbered = entry
                numbered.line = lines.count
                planted[lines.count] = numbered
            }
            let parsed = ChainListParser.parse(lines.joined(separator: "\n"))
            #expect(parsed.count == lines.count)
            for (number, entry) in planted {
                #expect(parsed[number - 1] == .entry(entry), "\(lines[number - 1])")
            }
        }
    }
}
