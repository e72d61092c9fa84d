import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct PlaceView: ResponseCodable {
    var id: PlaceID
    var parentID: PlaceID?
    var level: PlaceLevel
    var name: String
    var code: String?
    var path: String
    var childCount: Int?

    init(_ place: Place, childCount: Int? = nil) {
        id = place.id
        parentID = place.parentID
        level = place.level
        name = place.name
        code = place.code
        path = place.path.rawValue
        self.childCount = childCount
    }

    enum CodingKeys: String, CodingKey { case id, parentID = "parent_id", level, name, code, path, childCount = "child_count" }
}

struct PlaceChildrenView: ResponseCodable {
    var place: PlaceView
    var ancestors: [PlaceView]
    var children: [PlaceView]
}

struct HouseholdSummaryView: ResponseCodable {
    var id: PlaceID
    var compound: String
    var building: String
    var room: String
    var residentCount: Int
    var contactName: String?
    /// Always masked: lists never show a full phone number.
    var contactPhone: String?

    init(_ summary: HouseholdSummary) {
        id = summary.id
        compound = summary.compound
        building = summary.building
        room = summary.room
        residentCount = summary.residentCount
        contactName = summary.contactName
        contactPhone = summary.contactPhone.map(PhoneMask.mask)
    }

    enum CodingKeys: String, CodingKey { case id, compound, building, room, residentCount = "resident_count", contactName = "contact_name", contactPhone = "contact_phone" }
}

struct HouseholdListView: ResponseCodable {
    var households: [HouseholdSummaryView]
    var limit: Int
    var offset: Int
}

struct ResidentView: ResponseCodable {
    var id: ResidentID
    var name: String
    var phone: String?
    var phoneMasked: Bool
    var birthYear: Int?
    var gender: Gender?
    var note: String?
    /// Present only for roles that may see health and disability notes; each read is audited.
    var healthNote: String?
    var disabilityNote: String?

    enum CodingKeys: String, CodingKey {
        case id, name, phone, phoneMasked = "phone_masked", birthYear = "birth_year", gender, note, healthNote = "health_note", disabilityNote = "disability_note"
    }
}

struct HouseholdDetailView: ResponseCodable {
    var id: PlaceID
    var room: String
    var buildingID: PlaceID
    var path: String
    var places: [PlaceView]
    var residents: [ResidentView]
    var sensitiveVisible: Bool

    enum CodingKeys: String, CodingKey { case id, room, buildingID = "building_id", path, places, residents, sensitiveVisible = "sensitive_visible" }
}

struct HouseholdCodeView: ResponseCodable {
    var householdID: PlaceID
    var code: String
    enum CodingKeys: String, CodingKey { case householdID = "household_id", code }
}

struct VolunteerView: ResponseCodable {
    var id: VolunteerID
    var name: String
    var phone: String
    var forceType: ForceType
    var skills: [String]
    var placeID: PlaceID

    init(_ volunteer: Volunteer) {
        id = volunteer.id
        name = volunteer.name
        phone = PhoneMask.mask(volunteer.phone)
        forceType = volunteer.forceType
        skills = volunteer.skills
        placeID = volunteer.placeID
    }

    enum CodingKeys: String, CodingKey { case id, name, phone, forceType = "force_type", skills, placeID = "place_id" }
}

struct VolunteerListView: ResponseCodable {
    var volunteers: [VolunteerView]
    var limit: Int
    var offset: Int
}

struct TeamView: ResponseCodable {
    var id: TeamID
    var name: String
    var kind: TeamKind
    var placeID: PlaceID
    var placeName: String
    var memberCount: Int

    init(_ team: TeamSummary) {
        id = team.id
        name = team.name
        kind = team.kind
        placeID = team.placeID
        placeName = team.placeName
        memberCount = team.memberCount
    }

    enum CodingKeys: String, CodingKey { case id, name, kind, placeID = "place_id", placeName = "place_name", memberCount = "member_count" }
}

struct TeamListView: ResponseCodable {
    var teams: [TeamView]
    var limit: Int
    var offset: Int
}

struct IssuedCodeView: ResponseCodable {
    var householdID: PlaceID
    var compound: String
    var building: String
    var room: String
    var code: String

    enum CodingKeys: String, CodingKey { case householdID = "household_id", compound, building, room, code }
}

struct IssuedCodesView: ResponseCodable {
    var codes: [IssuedCodeView]

    init(_ issued: [DirectoryService.IssuedCode]) {
        codes = issued.map { IssuedCodeView(householdID: $0.household.id, compound: $0.household.compound, building: $0.household.building, room: $0.household.room, code: $0.code.description) }
    }
}
