/// Word lists the chain-list parser relies on. A chat line has no fields, so telling a surname
/// from a vegetable ("黄" vs "黄瓜") takes vocabulary; keeping it in one place keeps the
/// heuristics reviewable and lets a committee's odd words be added without touching the grammar.
enum ChainListLexicon {
    /// Common single-character surnames, roughly the top 200 of mainland China.
    static let surnames: Set<Character> = Set(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫杭诸邬"
    )

    static let compoundSurnames: [String] = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "夏侯", "司徒", "端木"]

    /// Forms of address written after a surname ("李阿姨", "王老师"); kept as written.
    static let honorifics: [String] = [
        "阿姨", "老师", "先生", "女士", "小姐", "叔叔", "阿叔", "伯伯", "老伯", "奶奶", "爷爷", "阿婆",
        "阿公", "婆婆", "大爷", "大妈", "师傅", "老板", "医生", "同学", "妈妈", "爸爸", "宝妈", "家",
        "姐", "哥", "总", "工",
    ]

    /// Prefixes of familiar address ("小王", "老李").
    static let familiarPrefixes: Set<Character> = ["小", "老"]

    /// Measure words, longest first so "公斤" wins over "斤".
    static let units: [String] = [
        "公斤", "千克", "毫升", "人份", "kg", "KG", "Kg", "ml", "ML",
        "盒", "箱", "份", "斤", "袋", "包", "瓶", "桶", "个", "只", "件", "板", "提", "罐", "支", "把",
        "颗", "粒", "根", "条", "套", "张", "片", "枚", "打", "听", "串", "捆", "块", "卷", "对", "双",
        "组", "排", "扎", "棵", "头", "杯", "碗", "克", "升", "盘", "筐", "篮", "托", "g", "L",
    ]

    /// Payment markers, longest first so "已付款" is removed whole.
    static let paidMarkers: [String] = ["已支付", "已付款", "已转账", "已付清", "已微信", "已付", "已转", "付了", "转了", "✅", "✔", "☑"]

    /// Words that precede a quantity without naming the goods ("共3箱", "各2盒").
    static let quantityFillers: [String] = ["一共", "合计", "数量", "需要", "预订", "共", "各", "要", "订", "买", "再", "加"]

    /// Last characters that make a word goods rather than a given name ("黄瓜", "鸡蛋").
    static let goodsFinals: Set<Character> = Set(
        "蛋奶米面油菜肉瓜豆果鱼虾蟹鸡鸭饼糕粉酱盐糖茶水酒饭粥药丸膏贴剂液囊卜椒葱姜蒜菇笋藕梨桃橙枣莓蕉薯芋柿茄韭肠骨腿翅乳酪桔橘柚榴纸巾罩锅器包片粒"
    )

    /// Goods that look like names to the rules above ("连花清瘟" starts with a surname).
    static let goodsWords: Set<String> = ["连花清瘟", "抗原", "试剂", "口罩", "尿不湿", "卫生巾", "洗洁精", "洗衣液", "酒精", "消毒液", "白菜", "金针菇", "方便面", "牛奶", "大米"]

    /// Remarks that would otherwise pass for a name or the goods before a quantity.
    static let noteWords: Set<String> = [
        "阴性", "阳性", "未付", "未转", "待付", "没付", "自提", "送货", "门口", "放门口", "急", "加急", "备注",
        "谢谢", "辛苦", "感谢", "无", "同上", "取消", "不要了", "已取", "已送", "已收", "收到",
    ]

    /// Words at the start of an example line.
    static let examplePrefixes: [String] = ["例如", "示例", "举例", "范例", "样例", "模板", "格式", "例", "e.g.", "eg", "E.g."]

    /// Words in a title before the goods ("团购鸡蛋", "预订蔬菜包").
    static let purchaseVerbs: [String] = ["团购", "拼团", "购买", "预订", "订购", "代购", "采购", "预定", "订", "团", "买"]

    /// Title words that name the kind of chain rather than a product, so no item is inferred
    /// (a medicine or antigen chain names its items, if any, on each line).
    static let nonItemTitleWords: [String] = [
        "配药", "抗原", "核酸", "检测", "结果", "登记", "统计", "报名", "接龙", "需求", "名单", "志愿者",
        "今天", "明天", "今晚", "今日", "明日", "截止", "每人", "限购", "自提", "请", "本楼", "大家", "邻居",
    ]

    static func startsWithUnit(_ characters: ArraySlice<Character>) -> String? {
        units.first { characters.starts(with: $0) }
    }
}
