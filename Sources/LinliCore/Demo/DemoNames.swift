/// Name tables for people and places. Built once and reused: the generator only concatenates a
/// surname with a ready-made given name, never formats per row.
enum DemoNames {
    /// Surnames with weights per 10,000 people, tilted to Shanghai: the national top twenty
    /// (王, 李, 张, 刘, 陈 ... 2020 census ranking) plus the local names 沈, 陆, 顾, 钱, 姚, 俞, 瞿.
    static let surnames: [(name: String, weight: Int)] = [
        ("张", 700), ("王", 680), ("陈", 560), ("李", 480), ("徐", 350), ("朱", 330), ("周", 310),
        ("刘", 300), ("沈", 260), ("杨", 260), ("吴", 240), ("黄", 230), ("陆", 220), ("顾", 210),
        ("孙", 170), ("胡", 170), ("赵", 160), ("蒋", 140), ("姚", 130), ("金", 130), ("钱", 120),
        ("许", 120), ("马", 110), ("何", 110), ("林", 110), ("高", 110), ("曹", 110), ("郭", 100),
        ("唐", 100), ("罗", 90), ("施", 90), ("郑", 90), ("严", 80), ("宋", 80), ("谢", 80),
        ("潘", 80), ("叶", 80), ("俞", 70), ("汤", 70), ("范", 70), ("冯", 70), ("丁", 70),
        ("袁", 70), ("蔡", 70), ("方", 70), ("汪", 70), ("秦", 60), ("韩", 60), ("倪", 60),
        ("董", 60), ("程", 60), ("戴", 60), ("龚", 60), ("邱", 50), ("卢", 50), ("傅", 50),
        ("于", 50), ("梁", 50), ("彭", 50), ("邵", 50), ("肖", 50), ("田", 40), ("毛", 40),
        ("费", 40), ("盛", 40), ("杜", 40), ("魏", 40), ("任", 40), ("吕", 40), ("苏", 40),
        ("瞿", 30), ("闵", 30), ("缪", 30), ("褚", 30), ("浦", 30), ("江", 30), ("夏", 30),
        ("钟", 30), ("贺", 30), ("万", 30), ("薛", 30), ("孔", 30), ("殷", 20), ("葛", 30),
    ]

    static let surnamePick = WeightedPick(surnames.map(\.weight))

    /// Given names follow fashion, so they are drawn by birth cohort: 桂英 and 建国 are born before
    /// 1960, 丽萍 and 志强 before 1990, 欣怡 and 浩然 after.
    enum Cohort: Int, CaseIterable {
        case before1960, before1990, since1990

        init(birthYear: Int) {
            self = birthYear < 1960 ? .before1960 : birthYear < 1990 ? .before1990 : .since1990
        }
    }

    private static let characterPools: [Cohort: (male: (String, String), female: (String, String))] = [
        .before1960: (male: ("建国德志永金根宝明伟荣福海长文家兴", "国华明良林根生忠民宝昌祥荣富发强平才"),
                      female: ("秀桂玉凤美佩淑月素金雪丽惠琴", "英兰珍芳华娣妹琴凤萍芬贞娟宝")),
        .before1990: (male: ("伟建志晓海俊振立文军卫小永国勇浩", "强明军平华东峰斌刚勇杰涛磊辉波"),
                      female: ("丽晓雪静美红燕海慧春艳小佳", "萍红华燕芳敏丽琴娟霞静莉蓉")),
        .since1990: (male: ("子浩宇俊梓一嘉睿天博思晨逸", "轩然辰杰豪宇涵航睿洋博川鸣"),
                     female: ("欣雨梓思诗佳可子语一若心", "怡涵萱琪婷彤妍悦然瑶雯琳")),
    ]

    /// Every two-character combination, followed by the one-character names (about one in eight
    /// given names has a single character), indexed [cohort][gender == .male ? 1 : 0].
    static let givenNames: [[[String]]] = Cohort.allCases.map { cohort in
        let pools = characterPools[cohort] ?? (male: ("", ""), female: ("", ""))
        return [pools.female, pools.male].map { first, second in
            var names: [String] = []
            for leading in first {
                for trailing in second where leading != trailing {
                    names.append(String(leading) + String(trailing))
                }
            }
            let twoCharacterCount = names.count
            let singles = second.map { String($0) }
            // One single per seven doubles, repeated to keep that share whatever the pool sizes.
            for index in 0..<(twoCharacterCount / 7) { names.append(singles[index % singles.count]) }
            return names
        }
    }

    static func person(surname: Int, gender: Gender, birthYear: Int, _ random: inout DemoRandom) -> String {
        let names = givenNames[Cohort(birthYear: birthYear).rawValue][gender == .male ? 1 : 0]
        return surnames[surname].name + names[random.below(names.count)]
    }

    /// Pudong's 12 sub-district offices and 24 towns. 花木街道 comes first: it holds 联洋, the
    /// showcase committee that every scale starts with.
    static let subdistricts: [(name: String, isTown: Bool)] = [
        ("花木街道", false), ("陆家嘴街道", false), ("潍坊新村街道", false), ("周家渡街道", false),
        ("塘桥街道", false), ("上钢新村街道", false), ("南码头路街道", false), ("沪东新村街道", false),
        ("金杨新村街道", false), ("洋泾街道", false), ("浦兴路街道", false), ("东明路街道", false),
        ("川沙新镇", true), ("高桥镇", true), ("北蔡镇", true), ("合庆镇", true), ("唐镇", true),
        ("曹路镇", true), ("金桥镇", true), ("高行镇", true), ("高东镇", true), ("张江镇", true),
        ("三林镇", true), ("惠南镇", true), ("周浦镇", true), ("新场镇", true), ("大团镇", true),
        ("康桥镇", true), ("航头镇", true), ("祝桥镇", true), ("泥城镇", true), ("宣桥镇", true),
        ("书院镇", true), ("万祥镇", true), ("老港镇", true), ("南汇新城镇", true),
    ]

    static let showcaseRoot = "联洋"

    /// Two-character roots for committee and compound names ("梅园", "东林", "锦泉"); 40 × 31
    /// combinations cover the district's ~900 root groups without repeats. The two tables share no
    /// character, so no root doubles a character, and none ends in a compound suffix (苑).
    private static let rootLeading = Array("金银东西南北明华春秋梅兰竹菊松桃杨柳锦绣新乐安康福泰和德仁云海江龙凤紫翠碧丽晨永")
    private static let rootTrailing = Array("园山河桥林湾城港泉庭源滨坊泾塘浦洲宁丰盛祥瑞平阳光晖辉芳馨雅景")

    static let rootCount = rootLeading.count * rootTrailing.count

    /// The root for the n-th root group of the district, spread by a fixed permutation so that
    /// neighbouring committees do not read 金园, 金山, 金河.
    static func root(_ ordinal: Int) -> String {
        // 7,919 is prime and does not divide the table size, so the map is a permutation.
        let index = (ordinal &* 7_919 &+ 131) % rootCount
        let leading = rootLeading[index / rootTrailing.count]
        let trailing = rootTrailing[index % rootTrailing.count]
        return String(leading) + String(trailing)
    }

    static let committeeOrdinals = ["第一", "第二", "第三", "第四"]

    /// "1号楼" ... ready-made for the tallest estates.
    static let buildingNames: [String] = (0...80).map { "\($0)号楼" }

    static func buildingName(_ number: Int) -> String {
        number < buildingNames.count ? buildingNames[number] : "\(number)号楼"
    }
}
