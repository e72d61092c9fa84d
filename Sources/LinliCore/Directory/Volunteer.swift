public typealias VolunteerID = ID<Volunteer>
public typealias TeamID = ID<Team>

/// Where a volunteer comes from: the "forces" a compound draws on in an emergency (the words are
/// in docs/GLOSSARY.md).
public enum ForceType: String, Sendable, Codable, CaseIterable {
    /// 报到党员 / 志愿者: residents reporting to their own compound.
    case residentVolunteer = "resident_volunteer"
    /// 报到党员: party members reporting for duty.
    case partyMember = "party_member"
    /// 下沉干部: staff sent down from government offices and enterprises.
    case sentDownCadre = "sent_down_cadre"
    /// 社区工作者: the committee's own staff.
    case communityWorker = "community_worker"
    /// 人大代表 / 政协委员.
    case deputy
}

public struct Volunteer: Sendable, Hashable, Codable {
    public var id: VolunteerID
    public var name: String
    public var phone: String
    public var forceType: ForceType
    /// Free-form skills: "驾驶", "医护", "搬运", "心理疏导" ...
    public var skills: [String]
    /// The place the volunteer reported to (usually a compound).
    public var placeID: PlaceID
    public var path: PlacePath
    public var districtID: PlaceID?
    /// Set when the volunteer is also a registered resident.
    public var residentID: ResidentID?

    public init(id: VolunteerID, name: String, phone: String, forceType: ForceType, skills: [String], placeID: PlaceID, path: PlacePath, districtID: PlaceID?, residentID: ResidentID? = nil) {
        self.id = id
        self.name = name
        self.phone = phone
        self.forceType = forceType
        self.skills = skills
        self.placeID = placeID
        self.path = path
        self.districtID = districtID
        self.residentID = residentID
    }
}

public enum TeamKind: String, Sendable, Codable, CaseIterable {
    /// 临时党支部
    case temporaryPartyBranch = "temporary_party_branch"
    /// 楼组 / 楼组党小组
    case buildingGroup = "building_group"
    /// 配药队
    case medicineTeam = "medicine_team"
    /// 搬运队
    case porterTeam = "porter_team"
    case other
}

public struct Team: Sendable, Hashable, Codable {
    public var id: TeamID
    public var name: String
    public var kind: TeamKind
    public var placeID: PlaceID
    public var path: PlacePath
    public var districtID: PlaceID?
    public var memberIDs: [VolunteerID]

    public init(id: TeamID, name: String, kind: TeamKind, placeID: PlaceID, path: PlacePath, districtID: PlaceID?, memberIDs: [VolunteerID]) {
        self.id = id
        self.name = name
        self.kind = kind
        self.placeID = placeID
        self.path = path
        self.districtID = districtID
        self.memberIDs = memberIDs
    }
}
