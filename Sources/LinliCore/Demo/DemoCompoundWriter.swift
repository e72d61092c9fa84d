/// The next id of each kind. Ids start at 1 and follow emission order, so a store can bulk-insert
/// with explicit ids.
struct DemoIDs {
    var lastPlace: PlaceID = 0
    var lastResident: ResidentID = 0
    var lastVolunteer: VolunteerID = 0
    var lastTeam: TeamID = 0
    /// Non-resident volunteers so far: the sequence behind their phone numbers.
    var lastOutsider: Int64 = 0

    mutating func nextPlace() -> PlaceID { lastPlace = PlaceID(lastPlace.rawValue + 1); return lastPlace }
    mutating func nextResident() -> ResidentID { lastResident = ResidentID(lastResident.rawValue + 1); return lastResident }
    mutating func nextVolunteer() -> VolunteerID { lastVolunteer = VolunteerID(lastVolunteer.rawValue + 1); return lastVolunteer }
    mutating func nextTeam() -> TeamID { lastTeam = TeamID(lastTeam.rawValue + 1); return lastTeam }
    mutating func nextOutsider() -> Int64 { lastOutsider += 1; return lastOutsider }
}

/// Fills one compound: its buildings, flats, residents, volunteers and teams.
struct DemoCompoundWriter {
    let seed: UInt64
    let referenceYear: Int

    /// Volunteers ≈ 5 % of residents (Shanghai in 2022: 海棠名苑三期 had 200+ volunteers for
    /// 4,000 residents; 68.6万 party members reported to their compounds). Most are residents;
    /// the rest are sent-down cadres and the committee's community workers.
    static let residentVolunteerBasisPoints = 650
    /// 下沉干部 per resident: about one per 250.
    static let residentsPerCadre = 250
    /// 社区工作者: 5.3万 for ~25 million people in Shanghai, one per ~500 residents.
    static let residentsPerCommunityWorker = 500

    static let buildingGroupLimit = 6

    static let skills = ["驾驶", "医护", "搬运", "心理疏导", "外语", "电脑"]
    /// Chance of each skill, in basis points, for residents and for sent-down cadres.
    private static let residentSkillBasisPoints = [2_000, 500, 3_000, 300, 800, 1_500]
    private static let cadreSkillBasisPoints = [3_500, 300, 2_000, 500, 1_000, 4_000]

    private var members: [PersonDraft] = []
    private var volunteers: [Volunteer] = []
    /// The building (index in the compound) each of `volunteers` lives in; nil for outsiders.
    private var volunteerBuilding: [Int?] = []
    private var buildingPlaces: [Place] = []

    init(seed: UInt64, referenceYear: Int) {
        self.seed = seed
        self.referenceYear = referenceYear
    }

    mutating func write(_ layout: CompoundLayout, ordinal: Int, committee: Place, ids: inout DemoIDs, into batch: inout DemoBatch) {
        var random = DemoRandom(seed: seed, stream: DemoLayout.peopleStream | UInt64(ordinal))
        let districtID = committee.districtID
        let compoundID = ids.nextPlace()
        let compound = Place(id: compoundID, parentID: committee.id, level: .compound, name: layout.name, path: PlacePath(parent: committee.path, id: compoundID), districtID: districtID)
        batch.places.append(compound)
        volunteers.removeAll(keepingCapacity: true)
        volunteerBuilding.removeAll(keepingCapacity: true)
        buildingPlaces.removeAll(keepingCapacity: true)
        let firstResident = batch.residents.count

        for (buildingIndex, building) in layout.buildings.enumerated() {
            let buildingID = ids.nextPlace()
            let buildingPlace = Place(id: buildingID, parentID: compoundID, level: .building, name: DemoNames.buildingName(buildingIndex + 1), code: "\(buildingIndex + 1)", path: PlacePath(parent: compound.path, id: buildingID), districtID: districtID)
            batch.places.append(buildingPlace)
            buildingPlaces.append(buildingPlace)
            let volunteersBefore = volunteers.count
            var leaderCandidate: (index: Int, age: Int)?
            for floor in 1...building.floors {
                for flat in 1...building.flatsPerFloor {
                    let householdID = ids.nextPlace()
                    let room = String(floor * 100 + flat)
                    let path = PlacePath(parent: buildingPlace.path, id: householdID)
                    batch.places.append(Place(id: householdID, parentID: buildingID, level: .household, name: room, path: path, districtID: districtID))
                    batch.households.append(Household(id: householdID, buildingID: buildingID, room: room, path: path, districtID: districtID))
                    writeResidents(of: householdID, path: path, districtID: districtID, building: buildingIndex, leaderCandidate: &leaderCandidate, ids: &ids, random: &random, into: &batch)
                }
            }
            // Every building has a building leader (楼组长): if nobody volunteered, the committee
            // asks the youngest adult with a phone.
            if volunteers.count == volunteersBefore, let candidate = leaderCandidate {
                appendResidentVolunteer(batch.residents[candidate.index], building: buildingIndex, forceType: .residentVolunteer, ids: &ids, random: &random)
            }
        }

        let residentCount = batch.residents.count - firstResident
        appendOutsiders(count: max(1, residentCount / Self.residentsPerCommunityWorker), forceType: .communityWorker, compound: compound, ids: &ids, random: &random)
        appendOutsiders(count: residentCount / Self.residentsPerCadre, forceType: .sentDownCadre, compound: compound, ids: &ids, random: &random)
        for index in volunteers.indices {
            volunteers[index].placeID = compoundID
            volunteers[index].path = compound.path
            volunteers[index].districtID = districtID
        }
        batch.volunteers.append(contentsOf: volunteers)
        appendTeams(compound: compound, residentCount: residentCount, ids: &ids, random: &random, into: &batch)
    }

    private mutating func writeResidents(of householdID: PlaceID, path: PlacePath, districtID: PlaceID?, building: Int, leaderCandidate: inout (index: Int, age: Int)?, ids: inout DemoIDs, random: inout DemoRandom, into batch: inout DemoBatch) {
        let makeup = DemoPeople.household(&random, into: &members)
        let isTenant = random.chance(makeup.tenantBasisPoints)
        for draft in members {
            let id = ids.nextResident()
            let birthYear = referenceYear - draft.age
            let name = DemoNames.person(surname: draft.surname, gender: draft.gender, birthYear: birthYear, &random)
            let phone = DemoPeople.hasPhone(age: draft.age, &random) ? DemoPhone.resident(id.rawValue) : nil
            let healthNote = DemoPeople.healthNote(age: draft.age, gender: draft.gender, &random)
            let disabilityNote = DemoPeople.disabilityNote(age: draft.age, &random)
            let note: String?
            if isTenant {
                note = "租户"
            } else if draft.age >= 75, phone != nil, random.chance(2_500) {
                note = "无智能手机"
            } else if draft.age >= 18, random.chance(50) {
                // Stranded outside Shanghai when the city locked down, still on the register.
                note = "人在外地"
            } else {
                note = nil
            }
            let resident = Resident(id: id, householdID: householdID, name: name, phone: phone, birthYear: birthYear, gender: draft.gender, note: note, healthNote: healthNote, disabilityNote: disabilityNote, path: path, districtID: districtID)
            batch.residents.append(resident)

            guard phone != nil, (18...69).contains(draft.age), disabilityNote == nil, note != "人在外地" else { continue }
            if draft.age < leaderCandidate?.age ?? .max {
                leaderCandidate = (batch.residents.count - 1, draft.age)
            }
            if random.chance(Self.residentVolunteerBasisPoints) {
                // Party members reported first (双报到); a few deputies live in the compound too.
                let roll = random.below(1_000)
                let forceType: ForceType = roll < 350 ? .partyMember : roll < 365 ? .deputy : .residentVolunteer
                appendResidentVolunteer(resident, building: building, forceType: forceType, ids: &ids, random: &random)
            }
        }
    }

    private mutating func appendResidentVolunteer(_ resident: Resident, building: Int, forceType: ForceType, ids: inout DemoIDs, random: inout DemoRandom) {
        guard let phone = resident.phone else { return }
        // Place and path are set once the compound is complete.
        volunteers.append(Volunteer(id: ids.nextVolunteer(), name: resident.name, phone: phone, forceType: forceType, skills: Self.drawSkills(Self.residentSkillBasisPoints, &random), placeID: 0, path: resident.path, districtID: resident.districtID, residentID: resident.id))
        volunteerBuilding.append(building)
    }

    private mutating func appendOutsiders(count: Int, forceType: ForceType, compound: Place, ids: inout DemoIDs, random: inout DemoRandom) {
        for _ in 0..<count {
            let gender = DemoPeople.gender(&random)
            let birthYear = referenceYear - random.int(in: 24...56)
            let name = DemoNames.person(surname: DemoPeople.surname(&random), gender: gender, birthYear: birthYear, &random)
            volunteers.append(Volunteer(id: ids.nextVolunteer(), name: name, phone: DemoPhone.outsider(ids.nextOutsider()), forceType: forceType, skills: Self.drawSkills(Self.cadreSkillBasisPoints, &random), placeID: compound.id, path: compound.path, districtID: compound.districtID))
            volunteerBuilding.append(nil)
        }
    }

    private static func drawSkills(_ basisPoints: [Int], _ random: inout DemoRandom) -> [String] {
        var drawn: [String] = []
        for (index, chance) in basisPoints.enumerated() where drawn.count < 2 && random.chance(chance) {
            drawn.append(skills[index])
        }
        return drawn
    }

    /// The teams Shanghai's compounds ran in 2022: a temporary party branch per compound, a
    /// building group per building, a medicine team and a porter team.
    private mutating func appendTeams(compound: Place, residentCount: Int, ids: inout DemoIDs, random: inout DemoRandom, into batch: inout DemoBatch) {
        // The branch gathers party members, deputies, cadres and community workers, the secretary
        // (a resident party member) first, and a third of the other volunteers.
        var branch = volunteers.filter { $0.forceType == .partyMember }.map(\.id)
        for volunteer in volunteers where volunteer.forceType != .partyMember {
            if volunteer.forceType != .residentVolunteer || random.chance(3_300) { branch.append(volunteer.id) }
        }
        batch.teams.append(Team(id: ids.nextTeam(), name: compound.name + "临时党支部", kind: .temporaryPartyBranch, placeID: compound.id, path: compound.path, districtID: compound.districtID, memberIDs: branch))

        for (buildingIndex, building) in buildingPlaces.enumerated() {
            var group: [VolunteerID] = []
            // A building group is the leader and a few helpers, even in a 200-flat tower.
            for (volunteer, home) in zip(volunteers, volunteerBuilding) where home == buildingIndex && group.count < Self.buildingGroupLimit {
                group.append(volunteer.id)
            }
            // A building where nobody could volunteer (all very old, no phones) is covered by
            // the leader of the building before it.
            if group.isEmpty, let neighbour = volunteers.indices.last(where: { (volunteerBuilding[$0] ?? .max) < buildingIndex }) ?? volunteers.indices.first {
                group.append(volunteers[neighbour].id)
            }
            batch.teams.append(Team(id: ids.nextTeam(), name: compound.name + building.name + "楼组", kind: .buildingGroup, placeID: building.id, path: building.path, districtID: compound.districtID, memberIDs: group))
        }

        let medicineSize = min(12, max(3, residentCount / 400))
        batch.teams.append(Team(id: ids.nextTeam(), name: compound.name + "配药队", kind: .medicineTeam, placeID: compound.id, path: compound.path, districtID: compound.districtID, memberIDs: pickMembers(count: medicineSize, preferring: ["医护", "驾驶"])))
        let porterSize = min(20, max(4, residentCount / 200))
        batch.teams.append(Team(id: ids.nextTeam(), name: compound.name + "搬运队", kind: .porterTeam, placeID: compound.id, path: compound.path, districtID: compound.districtID, memberIDs: pickMembers(count: porterSize, preferring: ["搬运"])))
    }

    /// Volunteers with a preferred skill first (in skill order), then anyone, without repeats.
    private func pickMembers(count: Int, preferring preferredSkills: [String]) -> [VolunteerID] {
        var chosen: [VolunteerID] = []
        var taken = Set<VolunteerID>()
        for skill in preferredSkills {
            for volunteer in volunteers where chosen.count < count && volunteer.skills.contains(skill) && taken.insert(volunteer.id).inserted {
                chosen.append(volunteer.id)
            }
        }
        for volunteer in volunteers where chosen.count < count && taken.insert(volunteer.id).inserted {
            chosen.append(volunteer.id)
        }
        return chosen
    }
}
