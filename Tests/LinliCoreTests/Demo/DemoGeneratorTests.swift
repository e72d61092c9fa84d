import Testing
import LinliCore

/// Everything a generator run delivered, in arrival order, plus the order of the batches so
/// tests can check that parents arrive before children.
struct CollectedDemo: Sendable, Equatable {
    enum Arrival: Sendable, Equatable { case places, households, residents, volunteers, teams }

    var placeRows: [Place] = []
    var householdRows: [Household] = []
    var residentRows: [Resident] = []
    var volunteerRows: [Volunteer] = []
    var teamRows: [Team] = []
    var arrivals: [(kind: Arrival, range: Range<Int>)] = []
    var progress: [DemoProgress] = []

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.placeRows == rhs.placeRows && lhs.householdRows == rhs.householdRows && lhs.residentRows == rhs.residentRows
            && lhs.volunteerRows == rhs.volunteerRows && lhs.teamRows == rhs.teamRows
    }
}

struct CollectingSink: DemoSink {
    var collected = CollectedDemo()

    mutating func places(_ rows: [Place]) async throws { append(rows, to: \.placeRows, as: .places) }
    mutating func households(_ rows: [Household]) async throws { append(rows, to: \.householdRows, as: .households) }
    mutating func residents(_ rows: [Resident]) async throws { append(rows, to: \.residentRows, as: .residents) }
    mutating func volunteers(_ rows: [Volunteer]) async throws { append(rows, to: \.volunteerRows, as: .volunteers) }
    mutating func teams(_ rows: [Team]) async throws { append(rows, to: \.teamRows, as: .teams) }

    private mutating func append<Row>(_ rows: [Row], to keyPath: WritableKeyPath<CollectedDemo, [Row]>, as kind: CollectedDemo.Arrival) {
        let start = collected[keyPath: keyPath].count
        collected[keyPath: keyPath].append(contentsOf: rows)
        collected.arrivals.append((kind, start..<(start + rows.count)))
    }
}

func collectDemo(_ scale: DemoScale, seed: UInt64 = 2022) async throws -> CollectedDemo {
    let generator = DemoGenerator(scale: scale, seed: seed, referenceYear: DemoFixtures.referenceYear)
    var sink = CollectingSink()
    var progress: [DemoProgress] = []
    try await generator.generate(into: &sink) { progress.append($0) }
    sink.collected.progress = progress
    return sink.collected
}

/// The subdistrict scale takes a second or two in a debug build: generated once for all tests.
enum DemoFixtures {
    static let referenceYear = 2022
    static let subdistrict = Task { try await collectDemo(.subdistrict) }
    static let compound = Task { try await collectDemo(.compound) }
}

@Suite("Demo data")
struct DemoGeneratorTests {
    @Test("the same seed gives the same city, another seed another one")
    func determinism() async throws {
        let first = try await DemoFixtures.compound.value
        let again = try await collectDemo(.compound)
        #expect(first == again)
        let otherSeed = try await collectDemo(.compound, seed: 7)
        #expect(otherSeed.residentRows != first.residentRows)
        #expect(otherSeed.residentRows.map(\.name) != first.residentRows.map(\.name))
    }

    @Test("the compound scale is the first committee of the subdistrict scale")
    func scalesArePrefixes() async throws {
        let compound = try await DemoFixtures.compound.value
        let subdistrict = try await DemoFixtures.subdistrict.value
        #expect(Array(subdistrict.placeRows.prefix(compound.placeRows.count)) == compound.placeRows)
        #expect(Array(subdistrict.residentRows.prefix(compound.residentRows.count)) == compound.residentRows)
        #expect(Array(subdistrict.teamRows.prefix(compound.teamRows.count)) == compound.teamRows)
        let levels = Dictionary(grouping: compound.placeRows, by: \.level).mapValues(\.count)
        #expect(levels[.committee] == 1)
        #expect((1...2).contains(levels[.compound] ?? 0))
        #expect((1_000...2_000).contains(compound.householdRows.count))
    }

    @Test("every place hangs under a parent that arrived before it")
    func treeIntegrity() async throws {
        let demo = try await DemoFixtures.subdistrict.value
        var seen: [PlaceID: Place] = [:]
        for (offset, place) in demo.placeRows.enumerated() {
            #expect(place.id == PlaceID(Int64(offset + 1)), "place ids are sequential from 1")
            if let parentID = place.parentID {
                let parent = try #require(seen[parentID], "parent \(parentID) of \(place.id) arrives first")
                #expect(place.path == PlacePath(parent: parent.path, id: place.id))
                #expect(parent.level.child == place.level)
                #expect(place.districtID == 2)
            } else {
                #expect(place.level == .city)
                #expect(place.districtID == nil)
            }
            seen[place.id] = place
        }
        for household in demo.householdRows {
            let place = try #require(seen[household.id])
            #expect(place.level == .household)
            #expect(place.parentID == household.buildingID)
            #expect(household.path == place.path && household.room == place.name)
            #expect(household.districtID == 2)
        }
        let households = Dictionary(uniqueKeysWithValues: demo.householdRows.map { ($0.id, $0) })
        for (offset, resident) in demo.residentRows.enumerated() {
            #expect(resident.id == ResidentID(Int64(offset + 1)))
            let household = try #require(households[resident.householdID])
            #expect(resident.path == household.path && resident.districtID == 2)
        }
        let residents = demo.residentRows
        for (offset, volunteer) in demo.volunteerRows.enumerated() {
            #expect(volunteer.id == VolunteerID(Int64(offset + 1)))
            #expect(seen[volunteer.placeID]?.level == .compound && seen[volunteer.placeID]?.path == volunteer.path)
            if let residentID = volunteer.residentID {
                let resident = residents[Int(residentID.rawValue) - 1]
                #expect(resident.name == volunteer.name && resident.phone == volunteer.phone)
                #expect(seen[volunteer.placeID].map { $0.path.contains(resident.path) } == true, "a resident volunteers at home")
            }
        }
        for team in demo.teamRows {
            let place = try #require(seen[team.placeID])
            #expect(place.path == team.path)
            #expect(!team.memberIDs.isEmpty)
            for memberID in team.memberIDs {
                let member = demo.volunteerRows[Int(memberID.rawValue) - 1]
                #expect(member.path.contains(team.path) || team.path.contains(member.path), "team members belong to the team's compound")
            }
        }
    }

    @Test("rows arrive in batches, parents before children")
    func streamingOrder() async throws {
        let demo = try await DemoFixtures.subdistrict.value
        var delivered: [CollectedDemo.Arrival: Int] = [:]
        for arrival in demo.arrivals {
            #expect(arrival.range.count <= DemoGenerator.batchLimit && !arrival.range.isEmpty)
            delivered[arrival.kind] = arrival.range.upperBound
            let placesSoFar = delivered[.places] ?? 0
            switch arrival.kind {
            case .places:
                break
            case .households:
                #expect(arrival.range.allSatisfy { Int(demo.householdRows[$0].id.rawValue) <= placesSoFar })
            case .residents:
                let householdsSoFar = Set(demo.householdRows.prefix(delivered[.households] ?? 0).map(\.id))
                #expect(arrival.range.allSatisfy { householdsSoFar.contains(demo.residentRows[$0].householdID) })
            case .volunteers:
                let residentsSoFar = delivered[.residents] ?? 0
                #expect(arrival.range.allSatisfy { Int(demo.volunteerRows[$0].residentID?.rawValue ?? 0) <= residentsSoFar })
            case .teams:
                let volunteersSoFar = delivered[.volunteers] ?? 0
                #expect(arrival.range.allSatisfy { demo.teamRows[$0].memberIDs.allSatisfy { Int($0.rawValue) <= volunteersSoFar } })
            }
        }
        let last = try #require(demo.progress.last)
        #expect(last.householdsDone == demo.householdRows.count && last.fraction == 1)
    }

    @Test("a subdistrict reads like one in Pudong")
    func realisticShares() async throws {
        let demo = try await DemoFixtures.subdistrict.value
        let residents = demo.residentRows
        let households = demo.householdRows.count
        #expect((55_000...75_000).contains(households), "a Pudong subdistrict has 60–70 thousand households")

        let perHousehold = Double(residents.count) / Double(households)
        #expect((2.2...2.6).contains(perHousehold), "5.7 million residents in 2.3 million households")

        func share(_ matching: (Resident) -> Bool) -> Double {
            Double(residents.count(where: matching)) / Double(residents.count)
        }
        let age = { (resident: Resident) in DemoFixtures.referenceYear - (resident.birthYear ?? DemoFixtures.referenceYear) }
        #expect((0.32...0.40).contains(share { age($0) >= 60 }), "about 36 % of registered Shanghai residents are 60+")
        #expect((0.04...0.08).contains(share { age($0) >= 80 }), "about 5–6 % are 80+")
        #expect((0.0002...0.003).contains(share { $0.healthNote?.hasPrefix("血透") == true }), "dialysis about 0.1 %")
        #expect((0.01...0.05).contains(share { $0.disabilityNote != nil }))
        #expect(residents.contains { $0.healthNote == "糖尿病（注射胰岛素）" } && residents.contains { $0.healthNote?.hasPrefix("孕") == true })
        #expect(residents.contains { $0.note == "租户" })

        let volunteerShare = Double(demo.volunteerRows.count) / Double(residents.count)
        #expect((0.04...0.06).contains(volunteerShare), "volunteers about 5 % of residents")
        let forces = Set(demo.volunteerRows.map(\.forceType))
        #expect(forces.isSuperset(of: [.partyMember, .residentVolunteer, .sentDownCadre, .communityWorker]))
        #expect(demo.volunteerRows.contains { $0.residentID == nil } && demo.volunteerRows.contains { $0.residentID != nil })

        let byHousehold = Dictionary(grouping: residents, by: \.householdID)
        let elderAlone = byHousehold.values.count { $0.count == 1 && age($0[0]) >= 60 }
        #expect(Double(elderAlone) / Double(households) > 0.03, "独居老人 are a visible group")
        #expect(byHousehold.values.contains { $0.allSatisfy { age($0) >= 60 && $0.phone == nil } }, "some elderly households cannot be phoned")

        let surnames = Dictionary(grouping: residents, by: { $0.name.first ?? " " }).mapValues(\.count)
        let topFive = Set(surnames.sorted { $0.value > $1.value }.prefix(5).map(\.key))
        #expect(topFive.isSuperset(of: ["张", "王", "陈"]))

        let teamKinds = Dictionary(grouping: demo.teamRows, by: \.kind).mapValues(\.count)
        let compounds = demo.placeRows.count { $0.level == .compound }
        let buildings = demo.placeRows.count { $0.level == .building }
        #expect(teamKinds[.temporaryPartyBranch] == compounds && teamKinds[.medicineTeam] == compounds && teamKinds[.porterTeam] == compounds)
        #expect(teamKinds[.buildingGroup] == buildings)
    }

    @Test("every phone number belongs to one person")
    func phonesAreUnique() async throws {
        let demo = try await DemoFixtures.subdistrict.value
        var phones = Set<String>()
        for phone in demo.residentRows.compactMap(\.phone) + demo.volunteerRows.filter({ $0.residentID == nil }).map(\.phone) {
            #expect(phones.insert(phone).inserted, "\(phone) is used twice")
            #expect(phone.count == 11 && phone.hasPrefix("1") && phone.allSatisfy(\.isASCII) && phone.allSatisfy(\.isNumber))
            #expect(phone.dropFirst().first.map { "3456789".contains($0) } == true)
        }
        let staffPhones = DemoGenerator(scale: .subdistrict, referenceYear: DemoFixtures.referenceYear).accounts.filter { $0.role == .admin || $0.role == .districtStaff || $0.role == .subdistrictStaff }.map(\.phone)
        #expect(staffPhones.allSatisfy { !phones.contains($0) })
    }

    @Test("demo accounts sit at places of their level in the first compound")
    func accounts() async throws {
        let demo = try await DemoFixtures.compound.value
        let generator = DemoGenerator(scale: .compound, referenceYear: DemoFixtures.referenceYear)
        let places = Dictionary(uniqueKeysWithValues: demo.placeRows.map { ($0.id, $0) })
        let expectedLevel: [RoleKind: PlaceLevel] = [
            .admin: .city, .districtStaff: .district, .subdistrictStaff: .subdistrict, .committeeStaff: .committee,
            .compoundLead: .compound, .buildingLeader: .building, .medicineRunner: .compound,
            .groupBuyLeader: .compound, .informationOfficer: .committee,
        ]
        #expect(Set(generator.accounts.map(\.role)) == Set(RoleKind.allCases))
        #expect(Set(generator.accounts.map(\.phone)).count == generator.accounts.count, "one phone per account")
        let firstCompound = try #require(demo.placeRows.first { $0.level == .compound })
        let volunteersByPhone = Dictionary(uniqueKeysWithValues: demo.volunteerRows.map { ($0.phone, $0) })
        for account in generator.accounts {
            let place = try #require(places[account.placeID])
            #expect(place.level == expectedLevel[account.role])
            #expect(place.path == account.placePath)
            if place.level >= .committee {
                #expect(place.path.contains(firstCompound.path) || firstCompound.path.contains(place.path))
                let volunteer = try #require(volunteersByPhone[account.phone], "\(account.role) logs in with a volunteer's phone")
                #expect(volunteer.name == account.name && volunteer.placeID == firstCompound.id)
            }
        }

        let leaders = generator.accounts.filter { $0.role == .buildingLeader }
        #expect(leaders.count == 2)
        let buildings = leaders.compactMap { places[$0.placeID] }
        let firstTwo = demo.placeRows.filter { $0.level == .building && $0.parentID == firstCompound.id }.prefix(2).map(\.id)
        #expect(buildings.map(\.id) == firstTwo, "the first and the second building of the first compound")
        #expect(buildings.map(\.parentID) == [firstCompound.id, firstCompound.id])
        for (leader, building) in zip(leaders, buildings) {
            let group = try #require(demo.teamRows.first { $0.kind == .buildingGroup && $0.placeID == building.id })
            #expect(group.memberIDs.contains { volunteersByPhone[leader.phone]?.id == $0 })
        }
        let groupBuyLeader = try #require(generator.accounts.first { $0.role == .groupBuyLeader })
        #expect(volunteersByPhone[groupBuyLeader.phone]?.residentID != nil, "a group-buy leader is a resident")
    }

    @Test("the accounts are the same at every scale")
    func accountsAcrossScales() {
        let accounts = DemoScale.allCases.map { DemoGenerator(scale: $0, referenceYear: DemoFixtures.referenceYear).accounts }
        #expect(accounts[0] == accounts[1] && accounts[1] == accounts[2])
    }

    @Test("the expected counts match what is generated")
    func expectedCounts() async throws {
        let demo = try await DemoFixtures.subdistrict.value
        let expected = DemoGenerator(scale: .subdistrict, referenceYear: DemoFixtures.referenceYear).expectedCounts
        #expect(expected.households == demo.householdRows.count)
        #expect(abs(Double(expected.residents) / Double(demo.residentRows.count) - 1) < 0.03)
        let district = DemoGenerator(scale: .district, referenceYear: DemoFixtures.referenceYear).expectedCounts
        #expect((2_000_000...2_600_000).contains(district.households), "Pudong has about 2.3 million households")
        #expect((5_000_000...6_400_000).contains(district.residents), "and about 5.7 million residents")
    }

    @Test("every demo text speaks both languages")
    func catalogue() {
        for scale in DemoScale.allCases {
            #expect(Catalogue.text(scale.catalogueKey, .zhHans) != scale.catalogueKey)
            #expect(Catalogue.text(scale.catalogueKey, .en) != scale.catalogueKey)
        }
        #expect(Catalogue.text("demo.progress", .en, ["done": "5", "total": "10", "percent": "50"]) == "Generated 5 of 10 households (50%)")
    }
}
