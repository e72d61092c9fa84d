/// The buildings of a subdistrict, laid out before any person is generated. A layout is small
/// (a few thousand buildings), so the generator can count households exactly for progress and
/// know the showcase compound's buildings before it streams anything.
struct SubdistrictLayout {
    var name: String
    var committees: [CommitteeLayout]
}

struct CommitteeLayout {
    var name: String
    var compounds: [CompoundLayout]
}

struct CompoundLayout {
    var name: String
    var buildings: [BuildingLayout]

    var households: Int { buildings.reduce(0) { $0 + $1.households } }
}

struct BuildingLayout {
    var floors: Int
    var flatsPerFloor: Int

    var households: Int { floors * flatsPerFloor }
}

enum DemoLayout {
    /// Random streams are keyed by purpose so that layouts and people never share numbers.
    static let layoutStream: UInt64 = 1 << 40
    static let peopleStream: UInt64 = 2 << 40
    static let historyStream: UInt64 = 3 << 40

    /// The layout of the `index`-th subdistrict of Pudong, truncated to `committeeLimit` committees.
    /// `firstRootOrdinal` numbers name roots across the district so names do not repeat.
    static func subdistrict(_ index: Int, seed: UInt64, committeeCount: Int?, firstRootOrdinal: inout Int) -> SubdistrictLayout {
        var random = DemoRandom(seed: seed, stream: layoutStream | UInt64(index))
        let entry = DemoNames.subdistricts[index % DemoNames.subdistricts.count]
        let count = committeeCount ?? random.int(in: DemoShape.committeesPerOtherSubdistrict)
        let kindPick = WeightedPick(entry.isTown ? CompoundKind.townWeights : CompoundKind.urbanWeights)
        let rootSizePick = WeightedPick(DemoShape.committeesPerNameRootWeights)
        let compoundCountPick = WeightedPick(DemoShape.compoundsPerCommitteeWeights)

        var committees: [CommitteeLayout] = []
        committees.reserveCapacity(count)
        var firstRoot = ""
        while committees.count < count {
            let isShowcase = index == 0 && committees.isEmpty
            let root = isShowcase ? DemoNames.showcaseRoot : DemoNames.root(firstRootOrdinal)
            firstRootOrdinal += 1
            if committees.isEmpty { firstRoot = root }
            // 联洋 has three committees, so the showcase reads "联洋第一居委会" like the real one.
            let sharing = min(isShowcase ? 3 : rootSizePick.pick(&random) + 1, count - committees.count)
            var suffixUses = Array(repeating: 0, count: CompoundKind.allCases.count)
            for ordinal in 0..<sharing {
                let name = root + (sharing > 1 ? DemoNames.committeeOrdinals[ordinal] : "") + "居委会"
                var compounds: [CompoundLayout] = []
                if isShowcase && ordinal == 0 {
                    // The showcase committee: a workers' village of walk-ups (the browser test's
                    // first building is a small walk-up) and a commercial estate of towers.
                    compounds.append(compound(root: root, kind: .workersVillage, buildingCount: 20, suffixUses: &suffixUses, random: &random))
                    compounds.append(compound(root: root, kind: .commercialEstate, buildingCount: 10, suffixUses: &suffixUses, random: &random))
                } else {
                    for _ in 0...compoundCountPick.pick(&random) {
                        let kind = CompoundKind(rawValue: kindPick.pick(&random)) ?? .commercialEstate
                        compounds.append(compound(root: root, kind: kind, buildingCount: nil, suffixUses: &suffixUses, random: &random))
                    }
                }
                committees.append(CommitteeLayout(name: name, compounds: compounds))
            }
        }
        if index == DemoShape.largestCompoundSubdistrict, !committees.isEmpty {
            committees[0].compounds.append(largestCompound(root: firstRoot, seed: seed))
        }
        return SubdistrictLayout(name: entry.name, committees: committees)
    }

    /// Shanghai's largest compound, 中远两湾城: about 11,000 households in some 96 towers. Only the
    /// district scale reaches its subdistrict, so the smaller scales stay as they were; its own
    /// random stream leaves every other building of the district unchanged.
    static func largestCompound(root: String, seed: UInt64) -> CompoundLayout {
        var random = DemoRandom(seed: seed, stream: layoutStream | (1 << 32))
        var buildings: [BuildingLayout] = []
        var households = 0
        while households < DemoShape.largestCompoundHouseholds {
            let kind = BuildingKind.tower
            let building = BuildingLayout(floors: random.int(in: kind.floors), flatsPerFloor: random.int(in: kind.flatsPerFloor))
            buildings.append(building)
            households += building.households
        }
        return CompoundLayout(name: root + "城", buildings: buildings)
    }

    private static func compound(root: String, kind: CompoundKind, buildingCount: Int?, suffixUses: inout [Int], random: inout DemoRandom) -> CompoundLayout {
        let suffixes = kind.nameSuffixes
        let use = suffixUses[kind.rawValue]
        suffixUses[kind.rawValue] += 1
        // A root with more estates than suffixes numbers the extra phases ("联洋花园二期").
        let phases = ["", "二期", "三期", "四期", "五期"]
        let name = root + suffixes[use % suffixes.count] + phases[min(use / suffixes.count, phases.count - 1)]
        let count = buildingCount ?? random.int(in: kind.buildingCount)
        let buildingPick = WeightedPick(kind.buildingKindWeights)
        var buildings: [BuildingLayout] = []
        buildings.reserveCapacity(count)
        for _ in 0..<count {
            let buildingKind = BuildingKind(rawValue: buildingPick.pick(&random)) ?? .walkUp
            let floors: Int
            if buildingKind == .walkUp {
                // Most walk-ups have exactly six floors: taller needed a lift by code.
                floors = random.chance(8_000) ? 6 : random.int(in: buildingKind.floors)
            } else {
                floors = random.int(in: buildingKind.floors)
            }
            buildings.append(BuildingLayout(floors: floors, flatsPerFloor: random.int(in: buildingKind.flatsPerFloor)))
        }
        return CompoundLayout(name: name, buildings: buildings)
    }
}
