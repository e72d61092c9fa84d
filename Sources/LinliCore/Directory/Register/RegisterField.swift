import Foundation

/// A column of the household register (户籍底册) that committees keep in Excel. Raw values are the
/// stable names used in catalogue keys and API payloads.
public enum RegisterField: String, Sendable, Hashable, Codable, CaseIterable {
    case compound
    case building
    case room
    case name
    case gender
    case phone
    case birthYear = "birth_year"
    case note
    case healthNote = "health_note"
    case disabilityNote = "disability_note"

    /// Without these a row cannot be placed in a household or told apart from its neighbours.
    public static let required: Set<RegisterField> = [.building, .room, .name]

    /// Health and disability are sensitive: only roles that need them see them, and every read
    /// of them is audited.
    public var isSensitive: Bool { self == .healthNote || self == .disabilityNote }

    public var catalogueKey: String { "register.field.\(rawValue)" }

    /// The header this field gets in an exported register.
    public var chineseHeader: String {
        switch self {
        case .compound: "小区"
        case .building: "楼号"
        case .room: "室号"
        case .name: "姓名"
        case .gender: "性别"
        case .phone: "电话"
        case .birthYear: "出生年份"
        case .note: "备注"
        case .healthNote: "健康状况"
        case .disabilityNote: "残疾情况"
        }
    }

    /// Longest accepted value, in characters. Generous for notes, tight for labels that end up on
    /// door lists and printed rosters.
    public var maximumLength: Int {
        switch self {
        case .compound: 60
        case .building, .room: 20
        case .name: 40
        case .gender, .phone, .birthYear: 40
        case .note, .healthNote, .disabilityNote: 500
        }
    }

    /// Headers as committees actually write them, already in `normalisedHeader` form.
    private var headerAliases: [String] {
        switch self {
        case .compound: ["小区", "小区名称", "小区名", "compound", "estate"]
        case .building: ["楼号", "楼栋", "幢", "号楼", "楼栋号", "幢号", "栋", "building"]
        case .room: ["室号", "房号", "门牌", "门牌号", "房间号", "室", "room"]
        case .name: ["姓名", "名字", "name"]
        case .gender: ["性别", "gender", "sex"]
        case .phone: ["电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "phone", "mobile"]
        case .birthYear: ["出生年份", "出生年", "年份", "出生日期", "birthyear", "birthdate", "dateofbirth"]
        case .note: ["备注", "note", "notes", "remark"]
        case .healthNote: ["健康状况", "健康情况", "病史", "health", "healthnote"]
        case .disabilityNote: ["残疾情况", "残疾", "失能", "disability", "disabilitynote"]
        }
    }

    private static let fieldByHeader: [String: RegisterField] = Dictionary(
        allCases.flatMap { field in field.headerAliases.map { ($0, field) } },
        uniquingKeysWith: { first, _ in first }
    )

    /// The field a header names, ignoring case, spaces (full-width ones too), underscores and
    /// the "*" templates put on required columns: "Birth_Year", " 手机号 ", "姓名*".
    public init?(header: String) {
        guard let field = Self.fieldByHeader[Self.normalisedHeader(header)] else { return nil }
        self = field
    }

    static func normalisedHeader(_ header: String) -> String {
        String(header.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars.filter { scalar in
            !(CharacterSet.whitespacesAndNewlines.contains(scalar) || scalar == "_" || scalar == "-" || scalar == "*")
        })
    }
}
