/// One resident as a line of the household register, after normalisation: labels written the
/// way the directory stores them, phone numbers as bare digits.
public struct RegisterRow: Sendable, Hashable, Codable {
    /// Only when the file has a 小区 column: a committee's register often spans several compounds.
    public var compound: String?
    /// "3" for "3号楼"/"3栋"/"3#"/"三号楼"; other labels ("A座") as written.
    public var building: String
    public var room: String
    public var name: String
    public var gender: Gender?
    /// Digits only: an 11-digit mobile number or a 7–12 digit landline.
    public var phone: String?
    public var birthYear: Int?
    public var note: String?
    public var healthNote: String?
    public var disabilityNote: String?
    /// The 1-based spreadsheet row this came from (the header is row 1), so issues and changes
    /// point at the line a committee worker sees in Excel.
    public var sourceRow: Int

    public init(
        compound: String? = nil, building: String, room: String, name: String, gender: Gender? = nil,
        phone: String? = nil, birthYear: Int? = nil, note: String? = nil, healthNote: String? = nil,
        disabilityNote: String? = nil, sourceRow: Int
    ) {
        self.compound = compound
        self.building = building
        self.room = room
        self.name = name
        self.gender = gender
        self.phone = phone
        self.birthYear = birthYear
        self.note = note
        self.healthNote = healthNote
        self.disabilityNote = disabilityNote
        self.sourceRow = sourceRow
    }

    /// The household this resident lives in.
    public var householdKey: HouseholdKey { HouseholdKey(compound: compound, building: building, room: room) }

    /// Who this resident is for matching: nobody registers two people of the same name in one flat.
    public var personKey: PersonKey { PersonKey(household: householdKey, name: name) }

    /// The value of one field as text, as it appears in an exported register.
    public func text(of field: RegisterField) -> String {
        switch field {
        case .compound: compound ?? ""
        case .building: building
        case .room: room
        case .name: name
        case .gender: gender.map(RegisterValue.genderText) ?? ""
        case .phone: phone ?? ""
        case .birthYear: birthYear.map(String.init) ?? ""
        case .note: note ?? ""
        case .healthNote: healthNote ?? ""
        case .disabilityNote: disabilityNote ?? ""
        }
    }

    /// True if both rows say the same about `field`.
    func hasSameValue(as other: RegisterRow, for field: RegisterField) -> Bool {
        text(of: field) == other.text(of: field)
    }

    /// Copies `field` from `source`.
    mutating func take(_ field: RegisterField, from source: RegisterRow) {
        switch field {
        case .compound: compound = source.compound
        case .building: building = source.building
        case .room: room = source.room
        case .name: name = source.name
        case .gender: gender = source.gender
        case .phone: phone = source.phone
        case .birthYear: birthYear = source.birthYear
        case .note: note = source.note
        case .healthNote: healthNote = source.healthNote
        case .disabilityNote: disabilityNote = source.disabilityNote
        }
    }

    /// True if the field has no value. Required fields are never empty in a parsed row.
    func isEmpty(_ field: RegisterField) -> Bool { text(of: field).isEmpty }
}

/// A flat, as a register names it.
public struct HouseholdKey: Sendable, Hashable, Codable {
    public var compound: String?
    public var building: String
    public var room: String

    public init(compound: String?, building: String, room: String) {
        self.compound = compound
        self.building = building
        self.room = room
    }
}

/// A resident, as a register names them.
public struct PersonKey: Sendable, Hashable, Codable {
    public var household: HouseholdKey
    public var name: String

    public init(household: HouseholdKey, name: String) {
        self.household = household
        self.name = name
    }
}
