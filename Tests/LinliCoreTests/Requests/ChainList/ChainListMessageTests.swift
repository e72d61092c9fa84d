import Foundation
import Testing
@testable import LinliCore

private typealias F = ChainListFixture

/// Whole messages as they were pasted from building groups, title and clutter included.
@Suite("Chain-list messages")
struct ChainListMessageTests {
    @Test("an egg group buy prints the documented JSON, one object per input line")
    func eggGroupBuy() throws {
        // The message ends with a line break, which ends line 9 rather than starting a line 10.
        let message = """
        #接龙 3号楼团购鸡蛋 每箱30枚 45元
        例 1号楼-101 张 2箱

        1. 3-201 张 2盒
        2、5号楼1102 李阿姨 鸡蛋×3 已付
        3) 12栋 3单元 501 王 两份
        4. 3-1-202 赵 1 ✅
        5. 3号楼 刘 2
        10. 88弄5号 302 陈 *2

        """
        let expected = """
        {"line":1,"reason":"title","unmatched":true}
        {"line":2,"reason":"example","unmatched":true}
        {"line":3,"reason":"blank","unmatched":true}
        {"building":"3","items":[{"name":"鸡蛋","quantity":2,"unit":"盒"}],"lane":null,"line":4,"name":"张","note":null,"paid":false,"room":"201","unit":null}
        {"building":"5","items":[{"name":"鸡蛋","quantity":3,"unit":"箱"}],"lane":null,"line":5,"name":"李阿姨","note":null,"paid":true,"room":"1102","unit":null}
        {"building":"12","items":[{"name":"鸡蛋","quantity":2,"unit":"份"}],"lane":null,"line":6,"name":"王","note":null,"paid":false,"room":"501","unit":"3"}
        {"building":"3","items":[{"name":"鸡蛋","quantity":1,"unit":"箱"}],"lane":null,"line":7,"name":"赵","note":null,"paid":true,"room":"202","unit":"1"}
        {"line":8,"reason":"no_room","unmatched":true}
        {"building":"5","items":[{"name":"鸡蛋","quantity":2,"unit":"箱"}],"lane":"88","line":9,"name":"陈","note":null,"paid":false,"room":"302","unit":null}

        """
        #expect(try ChainListJSON.encode(ChainListParser.parse(message)) == expected)
    }

    @Test("a vegetable order keeps each line's goods apart")
    func vegetables() {
        let message = """
        #接龙
        本周蔬菜团购，保供单位明天上午送到小区门口
        请按格式：楼号-室号 姓名 菜名数量

        1. 2-301 周 青菜2斤 土豆3斤
        2. 2-302 冬瓜 1个 番茄 2斤
        3. 2号楼502 吴阿姨 大白菜2颗，胡萝卜1斤 已转
        4. 2-601 郑先生 生菜1斤 放门口
        5. 201 王 黄瓜2根
        截止今晚8点
        """
        let parsed = ChainListParser.parse(message)
        #expect(parsed.map(\.line) == Array(1...10))
        #expect(parsed.prefix(4).map(\.reason) == [.title, .title, .title, .blank])
        #expect(parsed[4] == .entry(F.entry("2", "301", name: "周", items: [F.item("青菜", 2, "斤"), F.item("土豆", 3, "斤")], line: 5)))
        #expect(parsed[5] == .entry(F.entry("2", "302", items: [F.item("冬瓜", 1, "个"), F.item("番茄", 2, "斤")], line: 6)))
        #expect(parsed[6] == .entry(F.entry("2", "502", name: "吴阿姨", items: [F.item("大白菜", 2, "颗"), F.item("胡萝卜", 1, "斤")], paid: true, line: 7)))
        #expect(parsed[7] == .entry(F.entry("2", "601", name: "郑先生", items: [F.item("生菜", 1, "斤")], note: "放门口", line: 8)))
        #expect(parsed[8].reason == .noBuilding)
        #expect(parsed[9].reason == .noAddress)
    }

    @Test("an evening medicine list names the medicine on every line")
    func medicine() throws {
        let message = """
        #接龙 4月18日配药登记（今晚9点前，明早7点去医院）
        1. 7号楼301 孙奶奶 苯磺酸氨氯地平片 3盒 医保卡已交
        2. 7-502 钱 二甲双胍×2 胰岛素笔芯1盒
        3. 9栋1201 李老师 阿托伐他汀钙片2盒 已付
        4. 9栋1202
        5. 9栋 张 布洛芬1盒
        """
        let parsed = ChainListParser.parse(message)
        #expect(parsed.count == 6)
        #expect(parsed[0].reason == .title)
        #expect(parsed[1] == .entry(F.entry("7", "301", name: "孙奶奶", items: [F.item("苯磺酸氨氯地平片", 3, "盒")], note: "医保卡已交", line: 2)))
        #expect(parsed[2] == .entry(F.entry("7", "502", name: "钱", items: [F.item("二甲双胍", 2), F.item("胰岛素笔芯", 1, "盒")], line: 3)))
        #expect(parsed[3] == .entry(F.entry("9", "1201", name: "李老师", items: [F.item("阿托伐他汀钙片", 2, "盒")], paid: true, line: 4)))
        // No medicine named and none in the title: one of an unknown item, for a person to check.
        #expect(parsed[4] == .entry(F.entry("9", "1202", items: [F.item(nil, 1)], line: 5)))
        #expect(parsed[5].reason == .noRoom)
    }

    @Test("an antigen report keeps the result as the note")
    func antigen() {
        let message = """
        #接龙 4月12日 3号楼抗原自测结果
        例：3-101 张 阴性
        1. 3-201 张 阴性
        2. 3-202 李阿姨 阴性
        3. 3-301 王 阳性
        4. 3-302 赵 未测
        5. 3-201 张 阴性
        """
        let parsed = ChainListParser.parse(message)
        #expect(parsed.map(\.reason) == [.title, .example, nil, nil, nil, nil, nil])
        let entries = parsed.compactMap(\.entry)
        #expect(entries.map(\.name) == ["张", "李阿姨", "王", "赵", "张"])
        #expect(entries.map(\.note) == ["阴性", "阴性", "阳性", "未测", "阴性"])
        #expect(entries.allSatisfy { $0.items == [F.item(nil, 1)] && !$0.paid })
        // A repeated line is kept twice; deduplicating is the store's decision.
        #expect(entries[0].householdKey == entries[4].householdKey)
    }

    @Test("Windows line ends, full-width text and emoji keep their line numbers")
    func messyPaste() {
        let message = "＃接龙　团购牛奶\r\n１．３－２０１　张　２箱✔️\r\n\r\n２．３号楼　２０２　李\u{200B}\r\n"
        let parsed = ChainListParser.parse(message)
        #expect(parsed.map(\.line) == [1, 2, 3, 4])
        #expect(parsed[0].reason == .title)
        #expect(parsed[1] == .entry(F.entry("3", "201", name: "张", items: [F.item("牛奶", 2, "箱")], paid: true, line: 2)))
        #expect(parsed[2].reason == .blank)
        #expect(parsed[3] == .entry(F.entry("3", "202", name: "李", items: [F.item("牛奶", 1)], line: 4)))
    }

    @Test("an empty message has no lines; a lone line break is one blank line")
    func emptyMessages() {
        #expect(ChainListParser.parse("").isEmpty)
        #expect(ChainListParser.parse("\n").map(\.reason) == [.blank])
        #expect(ChainListParser.parse("\n\n").map(\.reason) == [.blank, .blank])
        #expect(ChainListParser.parse("3-201 张").count == 1)
        #expect(ChainListParser.parse("3-201 张\n").count == 1)
    }
}

@Suite("Chain-list texts")
struct ChainListCatalogueTests {
    @Test("every reason code has a text in Chinese and English")
    func everyReasonHasText() {
        for reason in ChainListReason.allCases {
            let entry = Catalogue.chainList[reason.catalogueKey]
            #expect(entry != nil, "missing \(reason.catalogueKey)")
            #expect(entry?.zhHans.isEmpty == false && entry?.en.isEmpty == false)
        }
        #expect(Catalogue.chainList.keys.allSatisfy { $0.hasPrefix("chain_list.") })
    }

    @Test("no other catalogue section defines a chain-list key")
    func noCollisions() {
        let chainKeys = Set(Catalogue.chainList.keys)
        // Before the section is registered no section holds these keys; afterwards exactly one,
        // and it must be this one.
        let defining = Catalogue.sections.filter { !Set($0.keys).isDisjoint(with: chainKeys) }
        #expect(defining.count <= 1)
        #expect(defining.allSatisfy { Set($0.keys) == chainKeys })
    }
}
