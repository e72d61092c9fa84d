import Foundation
import LinliCore
import Testing

@Suite("Group-buy exports (快团团 and spreadsheets): every row read into an order or shown with what is wrong, none dropped")
struct OrderSheetTests {
    /// As 快团团 exports it: a title row, then the header, then one row per order.
    static let kuaituantuan = """
    联洋新村4月12日蔬菜团购 订单导出,,,,,,,
    跟团号,下单人,商品,规格,数量,楼号,房号,团员备注
    1,张阿姨,蔬菜套餐A,约5斤,2,3,201,放门口
    2,李,蔬菜套餐A,约5斤,1,3号楼,502室,
    3,王老师,鸡蛋,30枚,三,十二栋,1101,
    4,赵,蔬菜套餐B,,若干,5,302,
    ,,,,,,,
    5,钱,蔬菜套餐A,,1,,,家里有老人
    6,孙,,,2,7,601,
    """

    @Test("a 快团团 export: the header found under its title row, addresses read as chain lists read them, bad rows kept with their problems, blank rows skipped")
    func kuaituantuanExport() throws {
        let rows = try Spreadsheet.decode(Data(Self.kuaituantuan.utf8), fileName: "orders.csv")
        let reading = try OrderSheet.read(rows)
        #expect(reading.headerRow == 2)
        #expect(reading.lines.map(\.row) == [3, 4, 5, 6, 8, 9], "every order row, the blank one left out")
        let first = reading.lines[0]
        #expect(first.followNumber == "1" && first.name == "张阿姨" && first.item == "蔬菜套餐A" && first.specification == "约5斤" && first.quantity == 2)
        #expect(first.household == ChainListHouseholdKey(lane: nil, building: "3", unit: nil, room: "201") && first.note == "放门口" && first.problems.isEmpty)
        #expect(reading.lines[1].household?.room == "502" && reading.lines[1].household?.building == "3")
        #expect(reading.lines[2].quantity == 3 && reading.lines[2].household == ChainListHouseholdKey(lane: nil, building: "12", unit: nil, room: "1101"))
        #expect(reading.lines[3].problems == [.badQuantity] && reading.lines[3].quantity == nil)
        #expect(reading.lines[4].problems == [.noAddress] && reading.lines[4].note == "家里有老人")
        #expect(reading.lines[5].problems == [.noItem])
    }

    @Test("an address column, an entrance column, and the same sheet as XLSX read the same")
    func addressesAndFormats() throws {
        let rows = [
            ["序号", "收货人", "商品名称", "购买数量", "详细地址", "备注"],
            ["1", "周", "大米10斤", "1", "18号1单元502", ""],
            ["2", "吴", "大米10斤", "2份", "三号楼二零三", ""],
            ["3", "郑", "大米10斤", "1", "联洋新村", "没写门牌"],
        ]
        let reading = try OrderSheet.read(rows)
        #expect(reading.lines.map(\.household) == [
            ChainListHouseholdKey(lane: nil, building: "18", unit: "1", room: "502"),
            ChainListHouseholdKey(lane: nil, building: "3", unit: nil, room: "203"),
            nil,
        ])
        #expect(reading.lines.map(\.quantity) == [1, 2, 1] && reading.lines[2].problems == [.noAddress])
        let xlsx = try Spreadsheet.decode(try Spreadsheet.encode(rows, format: .xlsx), fileName: "orders.xlsx")
        #expect(try OrderSheet.read(xlsx).lines == reading.lines)

        let split = try OrderSheet.read([["楼号", "单元", "房号", "商品", "数量"], ["12", "3", "501", "鸡蛋", "2"]])
        #expect(split.lines.first?.household == ChainListHouseholdKey(lane: nil, building: "12", unit: "3", room: "501"))
    }

    @Test("a sheet without an item, a quantity and an address column is refused; quantities out of range are problems, not numbers")
    func refusals() {
        #expect(throws: OrderSheetError.noHeader) { try OrderSheet.read([["姓名", "电话"], ["张", "13800000000"]]) }
        #expect(throws: OrderSheetError.noHeader) { try OrderSheet.read([]) }
        let reading = try? OrderSheet.read([["商品", "数量", "地址"], ["米", "0", "3-201"], ["米", "99999", "3-202"], ["米", "-1", "3-203"]])
        #expect(reading?.lines.map(\.problems) == [[.badQuantity], [.badQuantity], [.badQuantity]])
        #expect(OrderSheetColumn.named(" 数量（必填）") == .quantity && OrderSheetColumn.named("跟团号") == .followNumber && OrderSheetColumn.named("金额") == nil)
    }
}
