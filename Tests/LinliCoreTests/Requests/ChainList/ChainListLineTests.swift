import Testing
@testable import LinliCore

private typealias F = ChainListFixture

/// Lines as neighbours type them in Shanghai building groups, each with the entry it must give.
/// Without a title the chain's goods are unknown, so a bare quantity has no item name.
private let lines: [ChainListCase] = [
    // Building forms.
    .init("1. 3-201 张 2盒", F.entry("3", "201", name: "张", items: [F.item(nil, 2, "盒")])),
    .init("2. 3号楼201 李 1箱", F.entry("3", "201", name: "李", items: [F.item(nil, 1, "箱")])),
    .init("3. 3号楼 201 王 3份", F.entry("3", "201", name: "王", items: [F.item(nil, 3, "份")])),
    .init("4. 3栋201 赵 2", F.entry("3", "201", name: "赵", items: [F.item(nil, 2)])),
    .init("5. 3幢502室 钱 1袋", F.entry("3", "502", name: "钱", items: [F.item(nil, 1, "袋")])),
    .init("6. 3#201 孙 2盒", F.entry("3", "201", name: "孙", items: [F.item(nil, 2, "盒")])),
    .init("7. 3# 1102 周 ×2", F.entry("3", "1102", name: "周", items: [F.item(nil, 2)])),
    .init("8. 三号楼201 吴 1份", F.entry("3", "201", name: "吴", items: [F.item(nil, 1, "份")])),
    .init("9. 第三栋 602 郑", F.entry("3", "602", name: "郑")),
    .init("10. 第12栋 1201 冯 2箱", F.entry("12", "1201", name: "冯", items: [F.item(nil, 2, "箱")])),
    .init("11. 十二号楼 301 陈 1盒", F.entry("12", "301", name: "陈", items: [F.item(nil, 1, "盒")])),
    .init("12. 二十三栋 101 褚 2斤", F.entry("23", "101", name: "褚", items: [F.item(nil, 2, "斤")])),
    .init("13. 3号201 卫 2份", F.entry("3", "201", name: "卫", items: [F.item(nil, 2, "份")])),
    .init("14. 5号 302室 蒋 1箱", F.entry("5", "302", name: "蒋", items: [F.item(nil, 1, "箱")])),
    .init("15. A座1201 沈 2盒", F.entry("A", "1201", name: "沈", items: [F.item(nil, 2, "盒")])),
    .init("16. ３号楼２０１ 韩 ２盒", F.entry("3", "201", name: "韩", items: [F.item(nil, 2, "盒")])),
    .init("17．３－２０１　杨　＊３", F.entry("3", "201", name: "杨", items: [F.item(nil, 3)])),
    .init("18. 03栋 0201 朱 1", F.entry("3", "0201", name: "朱", items: [F.item(nil, 1)])),
    // Units and lanes.
    .init("19. 3-1-201 秦 2盒", F.entry("3", "201", unit: "1", name: "秦", items: [F.item(nil, 2, "盒")])),
    .init("20) 12栋 3单元 501 王 两份", F.entry("12", "501", unit: "3", name: "王", items: [F.item(nil, 2, "份")])),
    .init("21. 12栋3单元501室 尤 1份", F.entry("12", "501", unit: "3", name: "尤", items: [F.item(nil, 1, "份")])),
    .init("22. 3号楼2-1102 许 3斤", F.entry("3", "1102", unit: "2", name: "许", items: [F.item(nil, 3, "斤")])),
    .init("23. 三号楼二单元201 何", F.entry("3", "201", unit: "2", name: "何")),
    .init("24. 88弄5号 302 陈 *2", F.entry("5", "302", lane: "88", name: "陈", items: [F.item(nil, 2)])),
    .init("25. 88弄5支弄302室 吕 1箱", F.entry("5", "302", lane: "88", name: "吕", items: [F.item(nil, 1, "箱")])),
    .init("26. 长宁路88弄5号302 施 2盒", F.entry("5", "302", lane: "88", name: "施", items: [F.item(nil, 2, "盒")], note: "长宁路")),
    .init("27. 88弄5-302 张 1份", F.entry("5", "302", lane: "88", name: "张", items: [F.item(nil, 1, "份")])),
    .init("28. 1200弄 12号 1101 孔 2箱", F.entry("12", "1101", lane: "1200", name: "孔", items: [F.item(nil, 2, "箱")])),
    // Sequence-number forms.
    .init("29、5号楼1102 李阿姨 鸡蛋×3 已付", F.entry("5", "1102", name: "李阿姨", items: [F.item("鸡蛋", 3)], paid: true)),
    .init("(30) 7-402 曹 1份", F.entry("7", "402", name: "曹", items: [F.item(nil, 1, "份")])),
    .init("31: 7-403 严 2份", F.entry("7", "403", name: "严", items: [F.item(nil, 2, "份")])),
    .init("③ 7-404 华 1份", F.entry("7", "404", name: "华", items: [F.item(nil, 1, "份")])),
    .init("7-405 金 2份", F.entry("7", "405", name: "金", items: [F.item(nil, 2, "份")])),
    // Names.
    .init("34. 6-301 王老师 1盒", F.entry("6", "301", name: "王老师", items: [F.item(nil, 1, "盒")])),
    .init("35. 6-302 张先生/女士 2盒", F.entry("6", "302", name: "张先生/女士", items: [F.item(nil, 2, "盒")])),
    .init("36. 6-303 刘女士 1盒", F.entry("6", "303", name: "刘女士", items: [F.item(nil, 1, "盒")])),
    .init("37. 6-304 欧阳先生 1盒", F.entry("6", "304", name: "欧阳先生", items: [F.item(nil, 1, "盒")])),
    .init("38. 6-305 小王 2盒", F.entry("6", "305", name: "小王", items: [F.item(nil, 2, "盒")])),
    .init("39. 6-306 王建国 1盒", F.entry("6", "306", name: "王建国", items: [F.item(nil, 1, "盒")])),
    .init("40. 6-307 3盒", F.entry("6", "307", items: [F.item(nil, 3, "盒")])),
    .init("41. 6-308", F.entry("6", "308")),
    .init("42. 陈 6-309 2盒", F.entry("6", "309", name: "陈", items: [F.item(nil, 2, "盒")])),
    .init("43. 6-310张2盒", F.entry("6", "310", name: "张", items: [F.item(nil, 2, "盒")])),
    // Items and quantities.
    .init("44. 3-201 鸡蛋2箱", F.entry("3", "201", items: [F.item("鸡蛋", 2, "箱")])),
    .init("45. 3-202 2箱鸡蛋", F.entry("3", "202", items: [F.item("鸡蛋", 2, "箱")])),
    .init("46. 3-203 王 x3", F.entry("3", "203", name: "王", items: [F.item(nil, 3)])),
    .init("47. 3-204 王 X2", F.entry("3", "204", name: "王", items: [F.item(nil, 2)])),
    .init("48. 3-205 李 一箱", F.entry("3", "205", name: "李", items: [F.item(nil, 1, "箱")])),
    .init("49. 3-206 黄瓜 2斤 土豆3斤", F.entry("3", "206", items: [F.item("黄瓜", 2, "斤"), F.item("土豆", 3, "斤")])),
    .init("50. 3-207 赵 青菜1斤 番茄2斤", F.entry("3", "207", name: "赵", items: [F.item("青菜", 1, "斤"), F.item("番茄", 2, "斤")])),
    .init("51. 3-208 周 大米10公斤", F.entry("3", "208", name: "周", items: [F.item("大米", 10, "公斤")])),
    .init("52. 3-209 吴 牛奶×十二", F.entry("3", "209", name: "吴", items: [F.item("牛奶", 12)])),
    .init("53. 3-210 郑 共3箱", F.entry("3", "210", name: "郑", items: [F.item(nil, 3, "箱")])),
    .init("54. 3-211 王 N95口罩 2盒", F.entry("3", "211", name: "王", items: [F.item(nil, 2, "盒")], note: "N95口罩")),
    .init("55. 3-212 钱 500g 猪肉", F.entry("3", "212", name: "钱", items: [F.item(nil, 500, "g")], note: "猪肉")),
    .init("56. 3-213 孙 鸡蛋2箱牛奶1箱", F.entry("3", "213", name: "孙", items: [F.item("鸡蛋", 2, "箱"), F.item("牛奶", 1, "箱")])),
    // Medicine.
    .init("57. 5-1101 李阿姨 氨氯地平片 2盒 医保卡已交", F.entry("5", "1101", name: "李阿姨", items: [F.item("氨氯地平片", 2, "盒")], note: "医保卡已交")),
    .init("58. 5-1102 张 连花清瘟 3盒", F.entry("5", "1102", name: "张", items: [F.item("连花清瘟", 3, "盒")])),
    .init("59. 5-1103 阿莫西林胶囊 1盒", F.entry("5", "1103", items: [F.item("阿莫西林胶囊", 1, "盒")])),
    .init("60. 5-1104 王奶奶 二甲双胍2盒 胰岛素1支", F.entry("5", "1104", name: "王奶奶", items: [F.item("二甲双胍", 2, "盒"), F.item("胰岛素", 1, "支")])),
    // Paid markers and notes.
    .init("61. 3-301 张 2盒 已转", F.entry("3", "301", name: "张", items: [F.item(nil, 2, "盒")], paid: true)),
    .init("62. 3-302 李 1盒 已支付", F.entry("3", "302", name: "李", items: [F.item(nil, 1, "盒")], paid: true)),
    .init("63. 3-303 王 1盒✅", F.entry("3", "303", name: "王", items: [F.item(nil, 1, "盒")], paid: true)),
    .init("64. 3-304 赵 2盒 付了", F.entry("3", "304", name: "赵", items: [F.item(nil, 2, "盒")], paid: true)),
    .init("65. 3-305 钱 2盒 未付", F.entry("3", "305", name: "钱", items: [F.item(nil, 2, "盒")], note: "未付")),
    .init("66. 3-306 孙 1盒 放门口 谢谢", F.entry("3", "306", name: "孙", items: [F.item(nil, 1, "盒")], note: "放门口 谢谢")),
    .init("67. 3-307 周 阴性", F.entry("3", "307", name: "周", note: "阴性")),
    .init("68. 3-308 吴 1盒 13812345678", F.entry("3", "308", name: "吴", items: [F.item(nil, 1, "盒")], note: "13812345678")),
    .init("69. 3-309 郑 1.5斤", F.entry("3", "309", name: "郑", note: "1.5斤")),
    .init("70. 3-310 王 +1", F.entry("3", "310", name: "王", items: [F.item(nil, 1)])),
    .init("71. 3号楼205 张三 2 转了", F.entry("3", "205", name: "张三", items: [F.item(nil, 2)], paid: true)),
    .init("72. 16-1102 李小姐 2袋 15618888888", F.entry("16", "1102", name: "李小姐", items: [F.item(nil, 2, "袋")], note: "15618888888")),
    .init("73. 3-311 同上", F.entry("3", "311", note: "同上")),
    // Entrances after 号.
    .init("84. 18号1单元502 张 2盒", F.entry("18", "502", unit: "1", name: "张", items: [F.item(nil, 2, "盒")])),
    .init("85. 18号1单元 502室 李 1箱", F.entry("18", "502", unit: "1", name: "李", items: [F.item(nil, 1, "箱")])),
    .init("86. 7号 2单元 1102 王", F.entry("7", "1102", unit: "2", name: "王")),
    // Chinese numerals in rooms (digit by digit) and in quantities.
    .init("87. 三号楼二零三 赵 1份", F.entry("3", "203", name: "赵", items: [F.item(nil, 1, "份")])),
    .init("88. 五号楼一〇〇二 钱 2盒", F.entry("5", "1002", name: "钱", items: [F.item(nil, 2, "盒")])),
    .init("89. 12栋 三单元 六零一室 孙", F.entry("12", "601", unit: "3", name: "孙")),
    .init("90. 3-201 周 十二箱", F.entry("3", "201", name: "周", items: [F.item(nil, 12, "箱")])),
    .init("91. 3-202 吴 两箱", F.entry("3", "202", name: "吴", items: [F.item(nil, 2, "箱")])),
    .init("92. 3-203 郑 二十份", F.entry("3", "203", name: "郑", items: [F.item(nil, 20, "份")])),
    .init("93. 3-204 鸡蛋十二盒", F.entry("3", "204", items: [F.item("鸡蛋", 12, "盒")])),
    // Slashes.
    .init("94. 8/701 冯 2盒", F.entry("8", "701", name: "冯", items: [F.item(nil, 2, "盒")])),
    .init("95. 8/2/701 陈 1箱", F.entry("8", "701", unit: "2", name: "陈", items: [F.item(nil, 1, "箱")])),
    .init("96. 3号楼/201 褚", F.entry("3", "201", name: "褚")),
    // Labels before the numbers.
    .init("97. 楼号9 室号501 卫 2盒", F.entry("9", "501", name: "卫", items: [F.item(nil, 2, "盒")])),
    .init("98. 楼号：9 房号：501 蒋 1箱", F.entry("9", "501", name: "蒋", items: [F.item(nil, 1, "箱")])),
    .init("99. 9栋 房号501 沈", F.entry("9", "501", name: "沈")),
    .init("100. 楼号 12 单元号 2 门牌号 1101 韩 2份", F.entry("12", "1101", unit: "2", name: "韩", items: [F.item(nil, 2, "份")])),
    .init("101. 楼号九 室号二零一 杨", F.entry("9", "201", name: "杨")),
    .init("117. 楼号9号楼 501 王", F.entry("9", "501", name: "王")),
    // Stray spaces inside an address.
    .init("102. 9号 楼 402 朱 1盒", F.entry("9", "402", name: "朱", items: [F.item(nil, 1, "盒")])),
    .init("103. 9 号楼 402 秦 2盒", F.entry("9", "402", name: "秦", items: [F.item(nil, 2, "盒")])),
    .init("104. 3 - 201 尤 1盒", F.entry("3", "201", name: "尤", items: [F.item(nil, 1, "盒")])),
    .init("105. 3 / 202 许 1盒", F.entry("3", "202", name: "许", items: [F.item(nil, 1, "盒")])),
    // Keycap emoji digits.
    .init("1️⃣ 3-201 何 2盒", F.entry("3", "201", name: "何", items: [F.item(nil, 2, "盒")])),
    .init("🔟 5-302 吕 1箱", F.entry("5", "302", name: "吕", items: [F.item(nil, 1, "箱")])),
    .init("1️⃣1️⃣. 3️⃣号楼2️⃣0️⃣1️⃣ 施 2️⃣盒", F.entry("3", "201", name: "施", items: [F.item(nil, 2, "盒")])),
    .init("9️⃣-1️⃣1️⃣0️⃣2️⃣ 张 ×3️⃣", F.entry("9", "1102", name: "张", items: [F.item(nil, 3)])),
    // A list number without a dot.
    .init("12 3-201 张 2盒", F.entry("3", "201", name: "张", items: [F.item(nil, 2, "盒")])),
    .init("5 3号楼201 李 1箱", F.entry("3", "201", name: "李", items: [F.item(nil, 1, "箱")])),
    .init("3-201 张 2盒", F.entry("3", "201", name: "张", items: [F.item(nil, 2, "盒")])),
    .init("108 18号1单元502 孔 2份", F.entry("18", "502", unit: "1", name: "孔", items: [F.item(nil, 2, "份")])),
    // A surname standing alone before a quantity.
    .init("3-201 张 2", F.entry("3", "201", name: "张", items: [F.item(nil, 2)])),
    .init("3-201 王 ×2", F.entry("3", "201", name: "王", items: [F.item(nil, 2)])),
    .init("3号楼201 李 两盒", F.entry("3", "201", name: "李", items: [F.item(nil, 2, "盒")])),
    .init("110. 3-202 张 3", F.entry("3", "202", name: "张", items: [F.item(nil, 3)])),
    // Unmatched lines.
    .init(" ", .blank),
    .init("   　 ", .blank),
    .init("#接龙 3号楼团购鸡蛋 每箱30枚 45元", .title),
    .init("例 1号楼-101 张 2箱", .example),
    .init("例：3-201 张三 2盒", .example),
    .init("格式：楼号-室号 姓名 数量", .example),
    .init("75.", .emptyEntry),
    .init("76. 201 王 2盒", .noBuilding),
    .init("77. 3号楼 李 2盒", .noRoom),
    .init("78. 张阿姨 2盒", .noAddress),
    .init("79. 3-201 3-202 张 各2盒", .ambiguous),
    .init("80. 5号楼1102 6号楼1201 李", .ambiguous),
    .init("81. 3号楼101室 102室 张", .ambiguous),
    .init("82. 3-101-102 张", .noBuilding),
    .init("83. 截止今晚8点，谢谢大家", .noAddress),
    .init("111. 楼号9 李 2盒", .noRoom),
    .init("112. 9号 楼 李 2盒", .noRoom),
    .init("113. 3 201 张", .noBuilding),
    .init("114. 截止4/12 8点", .noAddress),
    .init("115. 8/701 8/702 王", .ambiguous),
    .init("116. 二零三 王 2盒", .noAddress),
    .init("118. 138 - 1234 - 5678 张", .noBuilding),
]

@Suite("Chain-list lines")
struct ChainListLineTests {
    @Test("reads like the domain", arguments: lines)
    func readsLine(_ row: ChainListCase) throws {
        let parsed = try #require(F.parseLast(row.input, title: row.title))
        switch row.expected {
        case .entry(var expected):
            expected.line = parsed.line
            #expect(parsed == .entry(expected))
        case .unmatched(let reason):
            #expect(parsed.reason == reason, "\(parsed)")
        }
    }

    @Test("the table has at least 60 entry lines in varied formats")
    func tableIsLargeEnough() {
        let entries = lines.filter { if case .entry = $0.expected { true } else { false } }
        #expect(entries.count >= 60)
        #expect(Set(lines.map(\.input)).count == lines.count, "a duplicated row tests nothing new")
    }

    @Test("a bare quantity takes the chain's goods and measure from the title")
    func titleGoods() throws {
        let title = "#接龙 3号楼团购鸡蛋 每箱30枚 45元"
        #expect(F.parseLast("1. 3-201 张 2", title: title)?.entry?.items == [F.item("鸡蛋", 2, "箱")])
        #expect(F.parseLast("1. 3-201 张 ×3", title: title)?.entry?.items == [F.item("鸡蛋", 3, "箱")])
        #expect(F.parseLast("1. 3-201 张", title: title)?.entry?.items == [F.item("鸡蛋", 1, "箱")])
        // Goods named on the line keep their own measure.
        #expect(F.parseLast("1. 3-201 张 牛奶2盒", title: title)?.entry?.items == [F.item("牛奶", 2, "盒")])
        #expect(F.parseLast("1. 3-201 张 2盒", title: title)?.entry?.items == [F.item("鸡蛋", 2, "盒")])

        #expect(F.parseLast("1. 3-201 张 1", title: "#接龙 蔬菜包 68元/份")?.entry?.items == [F.item("蔬菜包", 1, "份")])
        #expect(F.parseLast("1. 3-201 张 1", title: "#接龙\n本楼拼团西瓜 一个30元")?.entry?.items == [F.item("西瓜", 1, nil)])
        // A medicine or antigen chain has no single goods.
        #expect(F.parseLast("1. 3-201 张 阴性", title: "#接龙 4月12日 3号楼抗原结果")?.entry?.items == [F.item(nil, 1)])
        #expect(F.parseLast("1. 3-201 张 2盒", title: "#接龙 今晚配药登记")?.entry?.items == [F.item(nil, 2, "盒")])
    }

    @Test("prose before the list is heading, prose after it is not")
    func headingAndComments() {
        let parsed = ChainListParser.parse("#接龙\n明天中午送到，每人限购两箱\n1. 3-201 张 2箱\n截止今晚8点")
        #expect(parsed.map(\.reason) == [.title, .title, nil, .noAddress])
    }

    @Test("sequence numbers are not mistaken for addresses, nor addresses for sequence numbers")
    func sequenceNumbers() {
        #expect(ChainListParser.stripSequenceNumber("1. 3-201") == (true, " 3-201"))
        #expect(ChainListParser.stripSequenceNumber("3-201 张") == (false, "3-201 张"))
        #expect(ChainListParser.stripSequenceNumber("12栋 3单元") == (false, "12栋 3单元"))
        #expect(ChainListParser.stripSequenceNumber("10、88弄") == (true, "88弄"))
        #expect(ChainListParser.stripSequenceNumber("(4)3-201") == (true, "3-201"))
        // Without a mark, only a whole address after the number makes it a list number.
        #expect(ChainListParser.stripSequenceNumber("12 3-201 张") == (true, "3-201 张"))
        #expect(ChainListParser.stripSequenceNumber("5  三号楼二零一") == (true, "三号楼二零一"))
        #expect(ChainListParser.stripSequenceNumber("3 201 张") == (false, "3 201 张"))
        #expect(ChainListParser.stripSequenceNumber("9 号楼 402") == (false, "9 号楼 402"))
        #expect(ChainListParser.stripSequenceNumber("3 - 201") == (false, "3 - 201"))
        #expect(ChainListParser.stripSequenceNumber("1102 3-201") == (false, "1102 3-201"))
    }

    @Test("Chinese numerals read as people write them")
    func numerals() {
        #expect(ChainListNumerals.value(Array("两")) == 2)
        #expect(ChainListNumerals.value(Array("十")) == 10)
        #expect(ChainListNumerals.value(Array("十二")) == 12)
        #expect(ChainListNumerals.value(Array("二十")) == 20)
        #expect(ChainListNumerals.value(Array("二十三")) == 23)
        #expect(ChainListNumerals.value(Array("一百零五")) == 105)
        #expect(ChainListNumerals.value(Array("一二")) == nil)
        #expect(ChainListNumerals.value(Array("十十")) == nil)
        // Digit by digit is how a door number is read, never a number's value.
        #expect(ChainListNumerals.value(Array("二零三")) == nil)
        #expect(ChainListAddressText.fold("三号楼二零三") == "3号楼203")
        #expect(ChainListAddressText.fold("A座 一〇〇二") == "A座 1002")
        #expect(ChainListAddressText.fold("二零一室") == "201室")
        #expect(ChainListAddressText.fold("王一二三 两箱") == "王一二三 两箱")
    }

    @Test("labels before numbers read as the words after them")
    func labels() {
        #expect(ChainListAddressText.fold("楼号:9 房号: 501") == "9号楼 501室")
        #expect(ChainListAddressText.fold("楼号 12 单元号 2 门牌号 1101") == "12号楼 2单元 1101室")
        #expect(ChainListAddressText.fold("楼号九 室号二零一") == "9号楼 201室")
        #expect(ChainListAddressText.fold("格式：楼号-室号 姓名") == "格式：楼号-室号 姓名")
        #expect(ChainListAddressText.fold("房号12345") == "房号12345")
    }

    @Test("the household key is what the store matches on")
    func householdKey() throws {
        let entry = try #require(F.parseLast("88弄5号302 陈")?.entry)
        #expect(entry.householdKey == ChainListHouseholdKey(lane: "88", building: "5", unit: nil, room: "302"))
        let a = try #require(F.parseLast("三号楼二单元201 张")?.entry)
        let b = try #require(F.parseLast("3-2-201 李 2盒 已付")?.entry)
        #expect(a.householdKey == b.householdKey)
    }
}

@Suite("Chain-list lines that name a compound")
struct ChainListCompoundTests {
    @Test("estate names are found by their suffix; the generic 小区 is not a name")
    func mentions() {
        #expect(ChainListCompound.mentions(in: "联洋花园3-502 张 2箱") == ["联洋花园"])
        #expect(ChainListCompound.mentions(in: "1. 金山新村12号301") == ["金山新村"])
        #expect(ChainListCompound.mentions(in: "2-301 放小区门口") == [])
        #expect(ChainListCompound.mentions(in: "3-201 王 2盒").isEmpty)
    }

    @Test("another compound's name is flagged; this compound's name, a phase of it, or no name is not")
    func namesAnother() {
        #expect(ChainListCompound.namesAnother("联洋花园3-502 张 2箱", than: "锦园佳苑"))
        #expect(ChainListCompound.namesAnother("【联洋花园】3-502", than: "锦园佳苑"))
        #expect(!ChainListCompound.namesAnother("锦园佳苑3-502 张", than: "锦园佳苑"))
        #expect(!ChainListCompound.namesAnother("住联洋花园3-502", than: "联洋花园二期"))
        #expect(!ChainListCompound.namesAnother("3-502 张 2箱", than: "锦园佳苑"))
        #expect(!ChainListCompound.namesAnother("3-502 放小区门口", than: "锦园佳苑"))
    }
}
