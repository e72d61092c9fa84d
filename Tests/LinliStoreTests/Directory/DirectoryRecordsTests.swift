import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

/// A small tree: one compound with two buildings of two flats each, and residents.
struct SmallTree {
    var compound: Place
    var buildingA: Place
    var buildingB: Place
    var households: [Place]

    static func make(on db: any SQLDatabase) async throws -> SmallTree {
        let city = try await DirectoryRecords.createPlace(parent: nil, level: .city, name: "上海市", code: "310000", on: db)
        let district = try await DirectoryRecords.createPlace(parent: city, level: .district, name: "浦东新区", code: "310115", on: db)
        let subdistrict = try await DirectoryRecords.createPlace(parent: district, level: .subdistrict, name: "花木街道", code: nil, on: db)
        let committee = try await DirectoryRecords.createPlace(parent: subdistrict, level: .committee, name: "联洋第一居委会", code: nil, on: db)
        let compound = try await DirectoryRecords.createPlace(parent: committee, level: .compound, name: "联洋新村", code: nil, on: db)
        let buildingA = try await DirectoryRecords.createPlace(parent: compound, level: .building, name: "3号楼", code: "3", on: db)
        let buildingB = try await DirectoryRecords.createPlace(parent: compound, level: .building, name: "4号楼", code: "4", on: db)
        var households: [Place] = []
        var residentID: Int64 = 1
        for (building, rooms) in [(buildingA, ["201", "202"]), (buildingB, ["201", "301"])] {
            for room in rooms {
                let place = try await DirectoryRecords.createPlace(parent: building, level: .household, name: room, code: room, on: db)
                try await DirectoryRecords.insert(households: [Household(id: place.id, buildingID: building.id, room: room, path: place.path, districtID: place.districtID)], on: db)
                let people = [("张伟", "1380000\(1000 + Int(residentID))"), ("李秀英", "1390000\(2000 + Int(residentID))")]
                try await DirectoryRecords.insert(residents: people.map { name, phone in
                    defer { residentID += 1 }
                    return Resident(id: ResidentID(residentID + 1000), householdID: place.id, name: name, phone: phone, birthYear: 1950, path: place.path, districtID: place.districtID)
                }, on: db)
                households.append(place)
            }
        }
        return SmallTree(compound: compound, buildingA: buildingA, buildingB: buildingB, households: households)
    }
}

@Suite("Places, households and residents")
struct DirectoryRecordsTests {
    @Test("paths are materialised from the root and everything under a place is one range", arguments: TestEngine.available)
    func paths(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            #expect(tree.buildingA.path.ids.count == 6)
            #expect(tree.compound.path.contains(tree.buildingA.path))
            #expect(!tree.buildingA.path.contains(tree.buildingB.path))
            let district = try #require(tree.compound.districtID)
            #expect(tree.households.allSatisfy { $0.districtID == district })
            let ancestors = try await store.read { db in try await DirectoryRecords.ancestors(of: tree.households[0].path, on: db) }
            #expect(ancestors.map(\.level) == [.city, .district, .subdistrict, .committee, .compound, .building, .household])
            let children = try await store.read { db in try await DirectoryRecords.children(of: tree.compound.id, on: db) }
            #expect(children.map(\.place.name) == ["3号楼", "4号楼"])
            #expect(children.map(\.childCount) == [2, 2])
        }
    }

    @Test("household search stays inside the scope and filters by building, room, name and phone tail", arguments: TestEngine.available)
    func search(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            func search(_ search: HouseholdSearch) async throws -> [String] {
                try await store.read { db in try await HouseholdRecords.search(search, on: db) }.map { "\($0.building) \($0.room)" }
            }
            #expect(try await search(HouseholdSearch(scopes: [tree.buildingA.path])) == ["3号楼 201", "3号楼 202"])
            #expect(try await search(HouseholdSearch(scopes: [tree.compound.path], room: "201")) == ["3号楼 201", "4号楼 201"])
            #expect(try await search(HouseholdSearch(scopes: [tree.compound.path], building: "4")) == ["4号楼 201", "4号楼 301"])
            #expect(try await search(HouseholdSearch(scopes: [tree.buildingA.path], room: "301")).isEmpty)
            #expect(try await search(HouseholdSearch(scopes: [tree.buildingB.path], name: "李")).count == 2)
            #expect(try await search(HouseholdSearch(scopes: [tree.buildingA.path], phoneTail: "1003")) == ["3号楼 202"])
            #expect(try await search(HouseholdSearch(scopes: [tree.buildingB.path], phoneTail: "1003")).isEmpty)
            #expect(try await search(HouseholdSearch(scopes: [])).isEmpty, "an empty scope sees nothing, never everything")
            let page = try await search(HouseholdSearch(scopes: [tree.compound.path], limit: 2, offset: 2))
            #expect(page == ["4号楼 201", "4号楼 301"])
        }
    }

    @Test("a household's detail lists its residents with their sensitive fields kept apart", arguments: TestEngine.available)
    func detail(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let tree = try await store.write { db in try await SmallTree.make(on: db) }
            let detail = try #require(try await store.read { db in try await HouseholdRecords.detail(id: tree.households[0].id, on: db) })
            #expect(detail.residents.map(\.name) == ["张伟", "李秀英"])
            #expect(detail.household.buildingID == tree.buildingA.id)
            #expect(try await store.read { db in try await HouseholdRecords.detail(id: 999_999, on: db) } == nil)
        }
    }

    @Test("the demo's explicit ids leave the id sequences usable afterwards", arguments: TestEngine.available)
    func explicitIDs(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let city = Place(id: 500, parentID: nil, level: .city, name: "上海市", path: PlacePath(parent: nil, id: 500), districtID: nil)
            try await store.write { db in
                try await DirectoryRecords.insert(places: [city], on: db)
                try await DirectoryRecords.resetIdentitySequences(engine: store.engine, on: db)
            }
            let district = try await store.write { db in try await DirectoryRecords.createPlace(parent: city, level: .district, name: "浦东新区", code: nil, on: db) }
            #expect(district.id > 500)
            #expect(district.path.rawValue == "500/\(district.id)")
            #expect(district.districtID == district.id)
        }
    }
}
