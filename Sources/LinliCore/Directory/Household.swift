/// A flat (户). It is also a place of level `.household`, so its id is a `PlaceID`.
public struct Household: Sendable, Hashable, Codable {
    public var id: PlaceID
    public var buildingID: PlaceID
    /// The room as residents write it: "201", "1502", "3-201" style numbers without the building.
    public var room: String
    public var path: PlacePath
    public var districtID: PlaceID?

    public init(id: PlaceID, buildingID: PlaceID, room: String, path: PlacePath, districtID: PlaceID?) {
        self.id = id
        self.buildingID = buildingID
        self.room = room
        self.path = path
        self.districtID = districtID
    }
}

public typealias ResidentID = ID<Resident>

public enum Gender: String, Sendable, Codable, CaseIterable {
    case female, male
}

/// A person living in a household. Health and disability notes are sensitive: they live in their
/// own fields so that lists never carry them and every read is audited.
public struct Resident: Sendable, Hashable, Codable {
    public var id: ResidentID
    public var householdID: PlaceID
    public var name: String
    public var phone: String?
    public var birthYear: Int?
    public var gender: Gender?
    /// Non-sensitive remark, e.g. "租户" (tenant).
    public var note: String?
    /// Sensitive: chronic illness, dialysis, insulin, pregnancy ...
    public var healthNote: String?
    /// Sensitive: disability, bedridden, dementia ...
    public var disabilityNote: String?
    public var path: PlacePath
    public var districtID: PlaceID?

    public init(id: ResidentID, householdID: PlaceID, name: String, phone: String? = nil, birthYear: Int? = nil, gender: Gender? = nil, note: String? = nil, healthNote: String? = nil, disabilityNote: String? = nil, path: PlacePath, districtID: PlaceID?) {
        self.id = id
        self.householdID = householdID
        self.name = name
        self.phone = phone
        self.birthYear = birthYear
        self.gender = gender
        self.note = note
        self.healthNote = healthNote
        self.disabilityNote = disabilityNote
        self.path = path
        self.districtID = districtID
    }
}
