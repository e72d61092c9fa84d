/// Traditional characters folded to simplified ones, so a rumour forwarded from Hong Kong or
/// Taiwan ("封區", "物資") matches its mainland wording ("封区", "物资"). The table holds the
/// common characters of notices, rumours and daily life; a character not in it is kept as it
/// is, which costs a match a little, never a wrong match.
public enum TraditionalChinese {
    /// Pairs as two strings of the same length: the traditional character at each position folds
    /// to the simplified one at the same position.
    static let traditional = "區員會發這個們說時間來對過還進後開關門東車長電話問題應該經過當頭買賣錢給讓從學習實現點讀書寫聽見覺親愛戰爭國際機場廣場鐵路線飛場號碼網絡與無單位處領導組織據報導導彈歲醫療藥師護樓層轉發傳達幾乎氣溫雲雨風雪陽陰畫龍鳳鳥魚馬牛豬雞鴨蝦蛋麵飯湯醬蘋蔥蒜種類價格費錶隊勞動務業產質變將軍辦結論議決設計劃準備確認證據圖書館檢測試驗測驗陽性陰性隔離封閉解除疫情防控態勢嚴峻緊張狀況總體穩定衛健委員聯絡絡繹經濟貿協調調整邊緣環境衝擊擊敗敗壞壞處處罰罰款實際際遇遇見屆時時間層級級別別人們們的顯示標準稱謂謂語語言錄音視頻頻道聞訊訊息資訊資料資源來源滿意見識識別爾後麼樣們倆兩萬億餘於為爲從眾眾多亂紛紛亂擁擠擠壓壓力強迫迫切問卷調查詢詢問戶籍統計計算賬戶帳號蕭條條件縣鄉鎮村莊園區塊"
    static let simplified =   "区员会发这个们说时间来对过还进后开关门东车长电话问题应该经过当头买卖钱给让从学习实现点读书写听见觉亲爱战争国际机场广场铁路线飞场号码网络与无单位处领导组织据报导导弹岁医疗药师护楼层转发传达几乎气温云雨风雪阳阴画龙凤鸟鱼马牛猪鸡鸭虾蛋面饭汤酱苹葱蒜种类价格费表队劳动务业产质变将军办结论议决设计划准备确认证据图书馆检测试验测验阳性阴性隔离封闭解除疫情防控态势严峻紧张状况总体稳定卫健委员联络络绎经济贸协调调整边缘环境冲击击败败坏坏处处罚罚款实际际遇遇见届时时间层级级别别人们们的显示标准称谓谓语语言录音视频频道闻讯讯息资讯资料资源来源满意见识识别尔后么样们俩两万亿余于为为从众众多乱纷纷乱拥挤挤压压力强迫迫切问卷调查询询问户籍统计计算账户帐号萧条条件县乡镇村庄园区块"

    /// A second table for characters of shopping, supplies and medicine.
    static let traditional2 = "糧農菜肉價貴賤庫儲運輸貨車輛倉庫團購買賣送達箱盒袋斤瓶罐餅乾蘿蔔馬鈴薯鹽糖漿奶粉嬰兒童藥劑針劑膠囊診斷醫院門診急診掛號預約處方續購領取補貼發放贈閱閱讀體溫體檢隊員誌願幫忙鄰裏裡舊新聞網絡謠言闢謠澄清屬實虛假編造傳播擴散罰則違規違法舉報確診無症狀感染者密接綜合症狀態監測監控監視隱瞞謊稱聲稱據悉獲悉證實證明偽造變異株種類檢查檢驗採樣採集樣本輪輪次週週末鐘點鐘頭時鐘錶態復恢復營業歇業關門停業暫停開業開放禁止允許批准許可證書證件辦理辦法規則規定條例實施執行終止結束繼續維持維護穩妥穩"
    static let simplified2 =   "粮农菜肉价贵贱库储运输货车辆仓库团购买卖送达箱盒袋斤瓶罐饼干萝卜马铃薯盐糖浆奶粉婴儿童药剂针剂胶囊诊断医院门诊急诊挂号预约处方续购领取补贴发放赠阅阅读体温体检队员志愿帮忙邻里里旧新闻网络谣言辟谣澄清属实虚假编造传播扩散罚则违规违法举报确诊无症状感染者密接综合症状态监测监控监视隐瞒谎称声称据悉获悉证实证明伪造变异株种类检查检验采样采集样本轮轮次周周末钟点钟头时钟表态复恢复营业歇业关门停业暂停开业开放禁止允许批准许可证书证件办理办法规则规定条例实施执行终止结束继续维持维护稳妥稳"

    static let table: [Character: Character] = {
        var table: [Character: Character] = [:]
        for (from, to) in [(traditional, simplified), (traditional2, simplified2)] {
            for (source, target) in zip(from, to) where source != target { table[source] = target }
        }
        return table
    }()

    /// The text with every traditional character the table knows folded to simplified.
    public static func fold(_ text: String) -> String {
        String(text.map { table[$0] ?? $0 })
    }
}
