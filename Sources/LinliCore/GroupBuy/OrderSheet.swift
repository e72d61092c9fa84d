import Foundation

/// The columns of a group-buy export (快团团, a WeChat mini-program, or a leader's spreadsheet)
/// that orders are read from. Exports name them in many ways; `headers` lists the names seen.
public enum OrderSheetColumn: String, Sendable, Hashable, CaseIterable {
    case followNumber = "follow_number"
    case item
    case specification
    case quantity
    case building
    case unit
    case room
    case address
    case name
    case phone
    case note

    /// Header texts, compared after removing spaces and a trailing "(必填)"-style remark.
    public var headers: [String] {
        switch self {
        case .followNumber: ["跟团号", "团号", "接龙号", "序号", "编号", "订单序号"]
        case .item: ["商品", "商品名称", "商品名", "品名", "货品", "物品", "产品"]
        case .specification: ["规格", "商品规格", "规格名称"]
        case .quantity: ["数量", "购买数量", "商品数量", "份数", "件数"]
        case .building: ["楼号", "楼栋", "楼栋号", "栋号", "幢号", "楼"]
        case .unit: ["单元", "单元号"]
        case .room: ["房号", "室号", "房间号", "门牌号", "室"]
        case .address: ["地址", "收货地址", "详细地址", "楼号房号", "楼栋房号", "住址"]
        case .name: ["收货人", "下单人", "姓名", "团员", "联系人", "昵称"]
        case .phone: ["电话", "手机", "手机号", "联系电话", "收货人电话", "联系方式"]
        case .note: ["备注", "团员备注", "买家备注", "订单备注"]
        }
    }

    /// The column a header names, if any.
    public static func named(_ header: String) -> OrderSheetColumn? {
        var text = header.filter { !$0.isWhitespace }
        if let open = text.firstIndex(where: { $0 == "(" || $0 == "（" }) { text = String(text[..<open]) }
        return allCases.first { $0.headers.contains(text) }
    }
}

/// What keeps an order row from going in as it is: shown to the person importing, with the row,
/// to fix. A row is never dropped.
public enum OrderSheetProblem: String, Sendable, Hashable, CaseIterable {
    case noItem = "no_item"
    case noQuantity = "no_quantity"
    case badQuantity = "bad_quantity"
    case noAddress = "no_address"
}

/// One order row as read: the household it names (to be matched against the register), what
/// and how many, and anything wrong with it.
public struct OrderSheetLine: Sendable, Hashable {
    /// 1-based row of the sheet, header included, as a spreadsheet program numbers it.
    public var row: Int
    public var followNumber: String?
    public var item: String?
    public var specification: String?
    public var quantity: Int?
    public var household: ChainListHouseholdKey?
    public var name: String?
    public var phone: String?
    public var note: String?
    public var problems: [OrderSheetProblem]
}

/// A sheet read: the columns recognised, and every row after the header, none dropped.
public struct OrderSheetReading: Sendable, Hashable {
    /// 1-based row of the header.
    public var headerRow: Int
    public var columns: [OrderSheetColumn: Int]
    public var lines: [OrderSheetLine]
}

public enum OrderSheetError: Error, Sendable, Hashable {
    /// No row among the first ones names an item, a quantity and an address.
    case noHeader
}

/// Reads a group-buy export's rows (from `Spreadsheet.decode`, CSV or XLSX) into order lines.
/// Addresses go through the chain-list parser, so "3号楼", "三号楼", "3栋" and "3-201" in an
/// address column read as they do in a pasted chain list.
public enum OrderSheet {
    /// The header is looked for among the first rows: exports often start with a title row or two.
    public static let headerSearchRows = 10
    /// More than any group buy's orders; a sheet beyond it is refused where it is uploaded.
    public static let maximumRows = 50_000
    static let maximumQuantity = 9_999

    public static func read(_ rows: [[String]]) throws(OrderSheetError) -> OrderSheetReading {
        for (index, row) in rows.prefix(headerSearchRows).enumerated() {
            var columns: [OrderSheetColumn: Int] = [:]
            for (position, cell) in row.enumerated() {
                if let column = OrderSheetColumn.named(cell), columns[column] == nil { columns[column] = position }
            }
            let addressed = columns[.address] != nil || (columns[.building] != nil && columns[.room] != nil)
            guard columns[.item] != nil, columns[.quantity] != nil, addressed else { continue }
            let lines = rows.enumerated().dropFirst(index + 1).prefix(maximumRows).compactMap { offset, cells in
                cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) ? nil : line(cells, row: offset + 1, columns: columns)
            }
            return OrderSheetReading(headerRow: index + 1, columns: columns, lines: lines)
        }
        throw .noHeader
    }

    static func line(_ cells: [String], row: Int, columns: [OrderSheetColumn: Int]) -> OrderSheetLine {
        func cell(_ column: OrderSheetColumn) -> String? {
            guard let position = columns[column], position < cells.count else { return nil }
            let text = cells[position].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        var problems: [OrderSheetProblem] = []
        let item = cell(.item)
        if item == nil { problems.append(.noItem) }
        var quantity: Int?
        if let text = cell(.quantity) {
            quantity = Self.quantity(text)
            if quantity == nil { problems.append(.badQuantity) }
        } else {
            problems.append(.noQuantity)
        }
        let household = Self.household(address: cell(.address), building: cell(.building), unit: cell(.unit), room: cell(.room))
        if household == nil { problems.append(.noAddress) }
        return OrderSheetLine(
            row: row, followNumber: cell(.followNumber), item: item, specification: cell(.specification), quantity: quantity, household: household,
            name: cell(.name), phone: cell(.phone), note: cell(.note), problems: problems
        )
    }

    /// "3", "３", "×3", "3份", "三", "十二箱": a whole number from 1 to 9,999 with at most a
    /// measure word after it; nil for anything else ("若干", "-1", "2-3").
    public static func quantity(_ text: String) -> Int? {
        var characters = Array(ChainListText.normalize(text).filter { !$0.isWhitespace })
        if let first = characters.first, "×xX*".contains(first) { characters.removeFirst() }
        // A measure word is one or two CJK characters that are not numerals ("份", "箱", "袋装").
        var end = characters.count
        while end > 0, ChainListText.isCJK(characters[end - 1]), !ChainListNumerals.isNumeral(characters[end - 1]), characters.count - end < 2 { end -= 1 }
        let number = characters[..<end]
        guard !number.isEmpty else { return nil }
        let value: Int?
        if number.allSatisfy({ $0.isASCII && $0.isNumber }) {
            value = number.count <= 4 ? Int(String(number)) : nil
        } else {
            value = ChainListNumerals.value(number)
        }
        guard let value, (1...maximumQuantity).contains(value) else { return nil }
        return value
    }

    /// The household an address column, or building, unit and room columns, name, read the way
    /// a chain-list line is read.
    static func household(address: String?, building: String?, unit: String?, room: String?) -> ChainListHouseholdKey? {
        if let building, let room {
            let text = [Self.labelled(building, suffix: "号楼"), unit.map { Self.labelled($0, suffix: "单元") }, Self.labelled(room, suffix: "室")].compactMap { $0 }.joined(separator: " ")
            if let key = ChainListParser.parse(text).first?.entry?.householdKey { return key }
        }
        if let address, let key = ChainListParser.parse(address).first?.entry?.householdKey { return key }
        return nil
    }

    /// A bare number in a building, unit or room column gets its word, so "3" and "201" read
    /// as "3号楼 201室"; a cell that already says 号楼, 栋 or 室 is left as typed.
    static func labelled(_ cell: String, suffix: String) -> String {
        cell.allSatisfy { $0.isNumber || ChainListNumerals.isNumeral($0) } ? cell + suffix : cell
    }
}
