import LinliCore
import Testing

@Suite("Roles at places")
struct AccessPolicyTests {
    let compound = PlacePath(rawValue: "1/2/3/4/5")
    let buildingA = PlacePath(rawValue: "1/2/3/4/5/6")
    let buildingB = PlacePath(rawValue: "1/2/3/4/5/19")
    let buildingA2 = PlacePath(rawValue: "1/2/3/4/5/60")

    @Test("a building leader sees their building and nothing beside it")
    func buildingLeader() {
        let grants = Grants(roles: [RoleAssignment(role: .buildingLeader, placeID: 6, path: buildingA)])
        #expect(grants.allows(.viewDirectory, at: PlacePath(rawValue: "1/2/3/4/5/6/7")))
        #expect(!grants.allows(.viewDirectory, at: PlacePath(rawValue: "1/2/3/4/5/19/20")))
        // "6" is a prefix of "60" as text, but building 60 is not under building 6.
        #expect(!grants.allows(.viewDirectory, at: buildingA2))
        #expect(!grants.allows(.viewDirectory, at: compound))
        #expect(!grants.allows(.viewSensitive, at: buildingA))
        #expect(grants.allows(.viewFullPhone, at: buildingA))
    }

    @Test("sensitive notes and unmasked exports belong to the roles that need them")
    func capabilities() {
        #expect(RoleKind.medicineRunner.capabilities.contains(.viewSensitive))
        #expect(!RoleKind.groupBuyLeader.capabilities.contains(.viewSensitive))
        #expect(!RoleKind.informationOfficer.capabilities.contains(.viewFullPhone))
        #expect(!RoleKind.compoundLead.capabilities.contains(.exportUnmasked))
        #expect(RoleKind.committeeStaff.capabilities.contains(.exportUnmasked))
        #expect(RoleKind.allCases.filter { $0.capabilities.contains(.manageUsers) } == [.admin])
        #expect(RoleKind.allCases.allSatisfy { $0.capabilities.contains(.viewDirectory) })
    }

    @Test("scopes drop places nested in another scope and never widen")
    func scopes() {
        let grants = Grants(roles: [
            RoleAssignment(role: .compoundLead, placeID: 5, path: compound),
            RoleAssignment(role: .buildingLeader, placeID: 6, path: buildingA),
            RoleAssignment(role: .groupBuyLeader, placeID: 19, path: buildingB),
        ])
        #expect(grants.scopes(for: .viewDirectory) == [compound])
        #expect(grants.scopes(for: .exportUnmasked).isEmpty)
        #expect(Grants(roles: []).scopes(for: .viewDirectory).isEmpty)
    }

    @Test("a path contains itself and its descendants only")
    func paths() {
        #expect(compound.contains(compound))
        #expect(compound.contains(buildingA))
        #expect(!buildingA.contains(compound))
        #expect(PlacePath(parent: compound, id: 6) == buildingA)
        #expect(buildingA.ids == [1, 2, 3, 4, 5, 6])
        #expect(compound.descendantRange.after < buildingA.rawValue && buildingA.rawValue < compound.descendantRange.before)
    }
}

@Suite("Household codes")
struct HouseholdCodeTests {
    @Test("codes avoid look-alike characters and read back however they are typed")
    func typing() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let code = HouseholdCode.generate(using: &generator)
            #expect(code.value.count == HouseholdCode.length)
            #expect(!code.value.contains { "01OIL".contains($0) })
            #expect(HouseholdCode(typed: code.description) == code)
            #expect(HouseholdCode(typed: code.description.lowercased()) == code)
            #expect(HouseholdCode(typed: " " + code.value.prefix(4) + " " + code.value.suffix(4)) == code)
        }
        #expect(HouseholdCode(typed: "ABCD-EFG") == nil)
        #expect(HouseholdCode(typed: "ABCD-EFG0") == nil)
        #expect(HouseholdCode(typed: "") == nil)
    }

    @Test("the same generator state gives the same code (codes come only from the generator passed in)")
    func deterministic() {
        struct Counter: RandomNumberGenerator {
            var state: UInt64 = 0
            mutating func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; return state }
        }
        var first = Counter(), second = Counter()
        #expect(HouseholdCode.generate(using: &first) == HouseholdCode.generate(using: &second))
    }
}
