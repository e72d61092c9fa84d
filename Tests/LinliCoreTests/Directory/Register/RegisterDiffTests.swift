import PropertyBased
import Testing
@testable import LinliCore

/// The directory as the store would hold it, for applying plans in tests.
private struct FakePlace {
    var residents: [ExistingResident] = []
    var households: Set<HouseholdKey> = []
    private var nextID: ResidentID = 1

    init(residents: [RegisterRow] = [], households: Set<HouseholdKey> = []) {
        self.households = households
        for row in residents { add(row) }
    }

    mutating func add(_ row: RegisterRow) {
        residents.append(ExistingResident(id: nextID, row: row))
        households.insert(row.householdKey)
        nextID = ResidentID(nextID.rawValue + 1)
    }

    func plan(_ incoming: [RegisterRow], presentFields: Set<RegisterField> = Set(RegisterField.allCases)) -> RegisterImportPlan {
        RegisterDiff.plan(incoming: incoming, presentFields: presentFields, existingResidents: residents, existingHouseholds: households)
    }

    mutating func apply(_ plan: RegisterImportPlan) {
        for change in plan.changes {
            switch change {
            case .createHousehold(let compound, let building, let room):
                let key = HouseholdKey(compound: compound, building: building, room: room)
                #expect(!households.contains(key), "household \(key) created twice")
                households.insert(key)
            case .createResident(let row):
                let flat = row.householdKey
                let housed = households.contains { known in
                    known.building == flat.building && known.room == flat.room
                        && (flat.compound == nil || known.compound == nil || known.compound == flat.compound)
                }
                #expect(housed, "resident before their household")
                add(row)
            case .updateResident(let id, let before, let after):
                let index = residents.firstIndex { $0.id == id }
                #expect(index != nil)
                if let index {
                    #expect(residents[index].row == before)
                    residents[index].row = after
                }
            }
        }
    }
}

@Suite("Planning a register import")
struct RegisterDiffTests {
    private let zhang = RegisterRow(building: "3", room: "101", name: "张三", gender: .male, phone: "13812345678", birthYear: 1950, sourceRow: 2)
    private let li = RegisterRow(building: "3", room: "101", name: "李四", gender: .female, sourceRow: 3)
    private let wang = RegisterRow(building: "5", room: "201", name: "王五", sourceRow: 4)

    @Test("a first import creates each flat once, before the residents in it")
    func firstImport() {
        let plan = FakePlace().plan([zhang, li, wang])
        #expect(plan.changes == [
            .createHousehold(compound: nil, building: "3", room: "101"),
            .createResident(zhang),
            .createResident(li),
            .createHousehold(compound: nil, building: "5", room: "201"),
            .createResident(wang),
        ])
        #expect(plan.unchanged == 0 && plan.unmatchedExisting == 0)
    }

    @Test("uploading the same register again changes nothing")
    func sameFileTwice() {
        var place = FakePlace()
        place.apply(place.plan([zhang, li, wang]))
        let again = place.plan([zhang, li, wang])
        #expect(again.changes == [])
        #expect(again.unchanged == 3)
    }

    @Test("a flat that exists without residents is not created again")
    func emptyFlatExists() {
        let place = FakePlace(households: [HouseholdKey(compound: nil, building: "5", room: "201")])
        #expect(place.plan([wang]).changes == [.createResident(wang)])
    }

    @Test("a changed phone updates that resident and nothing else")
    func update() {
        let place = FakePlace(residents: [zhang, li])
        var moved = zhang
        moved.phone = "13900000000"
        moved.sourceRow = 9
        let plan = place.plan([moved, li])
        #expect(plan.changes == [.updateResident(id: 1, before: zhang, after: moved)])
        #expect(plan.unchanged == 1)
    }

    @Test("columns the file does not have are never overwritten")
    func absentColumnsUntouched() {
        let place = FakePlace(residents: [zhang])
        // A file with only building, room, name and gender, where gender is wrong-typed as female.
        var upload = RegisterRow(building: "3", room: "101", name: "张三", gender: .female, sourceRow: 2)
        let plan = place.plan([upload], presentFields: [.building, .room, .name, .gender])
        var expected = zhang
        expected.gender = .female
        #expect(plan.changes == [.updateResident(id: 1, before: zhang, after: expected)])
        // The same file without a gender column changes nothing, even though its row has no phone.
        upload.gender = nil
        #expect(place.plan([upload], presentFields: [.building, .room, .name]).changes == [])
    }

    @Test("an empty cell never erases a health note gathered by a survey")
    func blankDoesNotClear() {
        var surveyed = zhang
        surveyed.healthNote = "透析，每周二、五"
        let place = FakePlace(residents: [surveyed])
        let plan = place.plan([zhang], presentFields: Set(RegisterField.allCases))
        #expect(plan.changes == [])
        #expect(plan.unchanged == 1)
    }

    @Test("residents missing from the file are kept and counted, not deleted")
    func unmatchedAreKept() {
        let place = FakePlace(residents: [zhang, li, wang])
        let plan = place.plan([zhang])
        #expect(plan.changes == [])
        #expect(plan.unmatchedExisting == 2)
    }

    @Test("without a 小区 column, or with a blank one, residents match by building, room and name")
    func compoundIgnoredWhenAbsent() {
        var inCompound = zhang
        inCompound.compound = "长宁小区"
        let place = FakePlace(residents: [inCompound])
        let fields = Set(RegisterField.allCases).subtracting([.compound])
        #expect(place.plan([zhang], presentFields: fields).changes == [])
        #expect(place.plan([zhang], presentFields: Set(RegisterField.allCases)).changes == [])
    }

    @Test("with a 小区 column, the same flat number in another compound is another flat")
    func compoundSeparatesFlats() {
        var here = zhang
        here.compound = "长宁小区"
        let place = FakePlace(residents: [here])
        var elsewhere = zhang
        elsewhere.compound = "华阳新村"
        let plan = place.plan([elsewhere], presentFields: Set(RegisterField.allCases))
        #expect(plan.changes == [.createHousehold(compound: "华阳新村", building: "3", room: "101"), .createResident(elsewhere)])
        #expect(plan.unmatchedExisting == 1)
    }

    @Test("applying any plan and planning the same file again yields no changes")
    func idempotence() async {
        let existing = RegisterGen.register(currentYear: 2022)
        let upload = RegisterGen.register(currentYear: 2022)
        let fieldChoices: [Set<RegisterField>] = [
            Set(RegisterField.allCases),
            Set(RegisterField.allCases).subtracting([.compound]),
            [.building, .room, .name, .phone],
        ]
        let fields = Gen<Set<RegisterField>?>.element(of: fieldChoices).map { $0 ?? RegisterField.required }
        await propertyCheck(count: 150, input: existing, upload, fields) { existing, upload, fields in
            var place = FakePlace(residents: existing)
            place.apply(place.plan(upload, presentFields: fields))
            let again = place.plan(upload, presentFields: fields)
            #expect(again.changes == [])
            #expect(again.unchanged + again.unmatchedExisting == place.residents.count)
        }
    }
}
