/// The demo committee as its history needs it: where each household sits, who lives there and
/// which demo users hold which role where.
struct DemoWorld {
    struct Member: Hashable {
        var userID: UserID
        var role: RoleKind
        var placeID: PlaceID
    }

    let places: [PlaceID: Place]
    /// In id order.
    let compounds: [Place]
    /// Each compound's buildings, in id order.
    let buildings: [PlaceID: [Place]]
    /// Each building's households, in id order.
    let households: [PlaceID: [Household]]
    let householdByID: [PlaceID: Household]
    let residents: [PlaceID: [Resident]]
    /// The demo accounts that have a user, in the accounts' order.
    let staff: [Member]
    let referenceYear: Int

    init(batch: DemoBatch, accounts: [DemoAccount], users: [DemoAccount: UserID], referenceYear: Int) {
        self.referenceYear = referenceYear
        places = Dictionary(batch.places.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        compounds = batch.places.filter { $0.level == .compound }.sorted { $0.id < $1.id }
        var buildings: [PlaceID: [Place]] = [:]
        for place in batch.places where place.level == .building {
            if let parent = place.parentID { buildings[parent, default: []].append(place) }
        }
        self.buildings = buildings.mapValues { $0.sorted { $0.id < $1.id } }
        households = Dictionary(grouping: batch.households, by: \.buildingID).mapValues { $0.sorted { $0.id < $1.id } }
        householdByID = Dictionary(batch.households.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        residents = Dictionary(grouping: batch.residents, by: \.householdID).mapValues { $0.sorted { $0.id < $1.id } }
        staff = accounts.compactMap { account in
            users[account].map { Member(userID: $0, role: account.role, placeID: account.placeID) }
        }
    }

    /// The places above a household, the city first: what routing and escalation read.
    func above(_ household: Household) -> [PlaceOnPath] {
        household.path.ids.dropLast().compactMap { places[$0] }.map { PlaceOnPath(id: $0.id, level: $0.level) }.sorted { $0.level < $1.level }
    }

    func compound(of household: Household) -> Place? {
        household.path.ids.compactMap { places[$0] }.first { $0.level == .compound }
    }

    /// Every household of a compound, in id order.
    func households(in compound: Place) -> [Household] {
        (buildings[compound.id] ?? []).flatMap { households[$0.id] ?? [] }
    }

    func age(_ resident: Resident) -> Int? {
        resident.birthYear.map { referenceYear - $0 }
    }

    /// Health and disability notes of everyone in the household, as the intake reads them.
    func careNotes(of household: Household) -> [String?] {
        (residents[household.id] ?? []).flatMap { [$0.healthNote, $0.disabilityNote] }
    }

    func members(at placeID: PlaceID) -> [Member] {
        staff.filter { $0.placeID == placeID }
    }

    /// The `index`-th account holding `role`.
    func member(_ role: RoleKind, index: Int = 0) -> Member? {
        let holding = staff.filter { $0.role == role }
        return index < holding.count ? holding[index] : nil
    }

    /// The person nearest above the household: its building leader, else whoever holds a role at
    /// its compound, its committee, and so on up.
    func nearestMember(above household: Household) -> Member? {
        for place in above(household).reversed() {
            if let member = members(at: place.id).first { return member }
        }
        return nil
    }

    /// The resident a need is for, if the household fits it; the household itself (nil) for needs
    /// of the whole household. Nil when the need does not fit.
    func fit(_ fit: DemoHistoryTexts.Fit, _ household: Household) -> (fits: Bool, resident: ResidentID?) {
        let people = residents[household.id] ?? []
        switch fit {
        case .anyone:
            return (true, nil)
        case .careNote(let word):
            let resident = people.first { ($0.healthNote ?? "").contains(word) || ($0.disabilityNote ?? "").contains(word) }
            return (resident != nil, resident?.id)
        case .livesAlone:
            guard people.count == 1, let only = people.first, (age(only) ?? 0) >= 65 else { return (false, nil) }
            return (true, only.id)
        case .elderly:
            let elder = people.first { (age($0) ?? 0) >= 75 }
            return (elder != nil, elder?.id)
        case .infant:
            let baby = people.first { age($0) == 0 }
            return (baby != nil, baby?.id)
        case .youngChild:
            let child = people.first { (age($0) ?? 99) < 6 }
            return (child != nil, child?.id)
        }
    }
}
