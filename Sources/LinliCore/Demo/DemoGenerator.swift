/// Generates a deterministic, realistic Pudong for demos and benchmarks (`linli demo`, `serve --demo`).
/// Pure: no I/O, no clock, no system randomness. The same scale, seed and reference year give
/// byte-identical rows, streamed compound by compound so memory stays flat at district scale.
public struct DemoGenerator: Sendable {
    /// Rows per sink call, at most.
    public static let batchLimit = 5_000

    public let scale: DemoScale
    public let seed: UInt64
    /// Ages are counted to this year (2022 for the Shanghai lockdown); birth years follow from it.
    public let referenceYear: Int
    /// The demo logins, all inside the first committee. They are the same (phones, names, place
    /// ids) at every scale for a given seed and reference year.
    public let accounts: [DemoAccount]
    public let expectedCounts: DemoCounts

    public init(scale: DemoScale, seed: UInt64 = 2022, referenceYear: Int) {
        self.scale = scale
        self.seed = seed
        self.referenceYear = referenceYear

        var households = 0
        var rootOrdinal = 0
        for index in 0..<scale.shape.subdistricts {
            let layout = DemoWalk.layout(index, seed: seed, shape: scale.shape, rootOrdinal: &rootOrdinal)
            households += layout.committees.reduce(0) { sum, committee in
                sum + committee.compounds.reduce(0) { $0 + $1.households }
            }
        }
        expectedCounts = DemoCounts(households: households, residents: Int((Double(households) * HouseholdMakeup.expectedMeanSize).rounded()))

        // The first compound is generated once more, in memory, to find the people behind the
        // accounts; it is a few hundred households, so this costs a millisecond.
        var walk = DemoWalk(seed: seed, shape: scale.shape, referenceYear: referenceYear)
        var firstCompound = DemoBatch()
        _ = walk.writeNextCompound(into: &firstCompound)
        accounts = DemoAccounts.pick(from: firstCompound)
    }

    /// The first committee's rows, which are the whole compound scale at any scale, generated
    /// again in memory for the demo's history: about a thousand households, a few milliseconds.
    func firstCommittee() -> DemoBatch {
        var walk = DemoWalk(seed: seed, shape: DemoScale.compound.shape, referenceYear: referenceYear)
        var batch = DemoBatch()
        while walk.writeNextCompound(into: &batch) {}
        return batch
    }

    public func generate(into sink: inout some DemoSink, progress: (DemoProgress) -> Void) async throws {
        var walk = DemoWalk(seed: seed, shape: scale.shape, referenceYear: referenceYear)
        var batch = DemoBatch()
        var householdsDone = 0
        var residentsDone = 0
        while true {
            let householdsBefore = batch.households.count
            let residentsBefore = batch.residents.count
            let wroteCompound = walk.writeNextCompound(into: &batch)
            householdsDone += batch.households.count - householdsBefore
            residentsDone += batch.residents.count - residentsBefore
            if !wroteCompound || batch.isFull {
                try await batch.flush(into: &sink)
            }
            progress(DemoProgress(householdsDone: householdsDone, householdsExpected: expectedCounts.households, residentsDone: residentsDone))
            if !wroteCompound { return }
        }
    }
}

/// Walks the place tree depth first, one compound per step. Depth first is what makes each scale
/// a prefix of the next: the first committee's ids do not depend on how many committees follow.
struct DemoWalk {
    private let seed: UInt64
    private let shape: DemoShape
    private var writer: DemoCompoundWriter
    private var ids = DemoIDs()
    private var district: Place?
    private var subdistrictIndex = -1
    private var rootOrdinal = 0
    private var compoundOrdinal = 0
    private var layout = SubdistrictLayout(name: "", committees: [])
    private var subdistrict: Place?
    private var committee: Place?
    private var committeeIndex = 0
    private var compoundIndex = 0

    init(seed: UInt64, shape: DemoShape, referenceYear: Int) {
        self.seed = seed
        self.shape = shape
        writer = DemoCompoundWriter(seed: seed, referenceYear: referenceYear)
    }

    /// Pudong's code in the national administrative division codes (GB/T 2260).
    static let cityCode = "310000"
    static let districtCode = "310115"

    static func layout(_ index: Int, seed: UInt64, shape: DemoShape, rootOrdinal: inout Int) -> SubdistrictLayout {
        let committeeCount = index == 0 ? DemoShape.pudongCommitteesInFirstSubdistrict : nil
        var layout = DemoLayout.subdistrict(index, seed: seed, committeeCount: committeeCount, firstRootOrdinal: &rootOrdinal)
        if let limit = shape.committeeLimit, layout.committees.count > limit {
            layout.committees.removeSubrange(limit...)
        }
        return layout
    }

    /// Writes the next compound, preceded by any city, district, subdistrict and committee places
    /// it needs; false when the tree is complete.
    mutating func writeNextCompound(into batch: inout DemoBatch) -> Bool {
        if district == nil {
            let cityID = ids.nextPlace()
            let city = Place(id: cityID, parentID: nil, level: .city, name: "上海市", code: Self.cityCode, path: PlacePath(parent: nil, id: cityID), districtID: nil)
            let districtID = ids.nextPlace()
            let district = Place(id: districtID, parentID: cityID, level: .district, name: "浦东新区", code: Self.districtCode, path: PlacePath(parent: city.path, id: districtID), districtID: districtID)
            batch.places.append(city)
            batch.places.append(district)
            self.district = district
        }
        while true {
            if committeeIndex < layout.committees.count, let subdistrict {
                let committeeLayout = layout.committees[committeeIndex]
                if compoundIndex == 0 {
                    let id = ids.nextPlace()
                    let place = Place(id: id, parentID: subdistrict.id, level: .committee, name: committeeLayout.name, path: PlacePath(parent: subdistrict.path, id: id), districtID: subdistrict.districtID)
                    batch.places.append(place)
                    committee = place
                }
                if compoundIndex < committeeLayout.compounds.count, let committee {
                    writer.write(committeeLayout.compounds[compoundIndex], ordinal: compoundOrdinal, committee: committee, ids: &ids, into: &batch)
                    compoundIndex += 1
                    compoundOrdinal += 1
                    return true
                }
                committeeIndex += 1
                compoundIndex = 0
                continue
            }
            subdistrictIndex += 1
            guard subdistrictIndex < shape.subdistricts, let district else { return false }
            layout = Self.layout(subdistrictIndex, seed: seed, shape: shape, rootOrdinal: &rootOrdinal)
            let id = ids.nextPlace()
            let place = Place(id: id, parentID: district.id, level: .subdistrict, name: layout.name, path: PlacePath(parent: district.path, id: id), districtID: district.id)
            batch.places.append(place)
            subdistrict = place
            committeeIndex = 0
            compoundIndex = 0
        }
    }
}
