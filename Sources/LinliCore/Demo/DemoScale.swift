/// How much of Pudong the demo builds (`linli demo --scale compound|subdistrict|district`).
/// Each scale is an exact prefix of the next: the compound scale is the first committee of the
/// subdistrict scale, which is the first subdistrict of the district scale. So the same seed gives
/// the same first compound, the same ids and the same demo accounts at every scale.
public enum DemoScale: String, CaseIterable, Sendable {
    case compound, subdistrict, district

    /// The catalogue key of the scale's description for the CLI ("一个街道（约 6 万户）").
    public var catalogueKey: String { "demo.scale.\(rawValue)" }

    public var shape: DemoShape {
        switch self {
        case .compound: DemoShape(subdistricts: 1, committeeLimit: 1)
        case .subdistrict: DemoShape(subdistricts: 1, committeeLimit: nil)
        case .district: DemoShape(subdistricts: DemoShape.pudongSubdistricts, committeeLimit: nil)
        }
    }
}

/// The size of the place tree, in one place.
///
/// Where the numbers come from (public figures on Shanghai and Pudong, most from press reports of
/// the 2022 lockdown):
/// - Pudong New Area has 12 sub-district offices (街道) and 24 towns (镇) = 36, about 1,300
///   residents' and village committees, about 5.7 million residents in about 2.3 million households.
/// - Shanghai has ~13,000 compounds under ~6,000 committees: ~2.2 compounds per committee and
///   ~770 households per compound; one committee in 中远两湾城 had 3,022 households, 海棠名苑三期
///   has 61 buildings and 1,175 households, 阳光绿园 1,000 households.
/// - Old 1950s–90s workers' villages (新村) are 5–7-floor walk-ups with 2–4 flats a floor (12–24
///   flats); commercial estates (花园, 苑) and relocation estates (动迁安置房) mix 8–12-floor
///   mid-rises with 18–33-floor towers of 60–200 flats. Towns have more relocation estates.
/// With these ranges a committee averages ~1,800 households, a subdistrict ~65,000 and the
/// district ~2.3 million (`DemoGenerator.expectedCounts` gives the exact household count).
public struct DemoShape: Sendable, Hashable {
    static let pudongSubdistricts = 36
    /// The first subdistrict (花木街道, one of the larger ones) is pinned so the subdistrict scale
    /// lands at ~65,000 households.
    static let pudongCommitteesInFirstSubdistrict = 40
    /// The other subdistricts vary around the Pudong mean of ~36 committees.
    static let committeesPerOtherSubdistrict: ClosedRange<Int> = 28...44
    /// Compounds per committee, weights for 1, 2, 3, 4 compounds (mean ≈ 2.3).
    static let compoundsPerCommitteeWeights = [20, 40, 30, 10]
    /// The second subdistrict, which only the district scale has, holds a compound as large as
    /// Shanghai's largest (中远两湾城, about 11,000 households).
    static let largestCompoundSubdistrict = 1
    static let largestCompoundHouseholds = 11_000
    /// Committees sharing a name root ("联洋第一居委会", "联洋第二居委会"), weights for 1, 2, 3.
    static let committeesPerNameRootWeights = [70, 20, 10]

    /// Subdistricts generated: 1 at compound and subdistrict scale, 36 at district scale.
    public let subdistricts: Int
    /// The compound scale keeps only the first committee (联洋第一居委会, two compounds, ~1,100
    /// households). It is cut from the full layout so its names and numbers match the larger scales.
    public let committeeLimit: Int?
}

/// What a compound looks like, which decides its buildings and its name.
enum CompoundKind: Int, CaseIterable {
    /// 新村: an old workers' village of walk-ups.
    case workersVillage
    /// 花园 / 苑: a commercial estate.
    case commercialEstate
    /// 家园 / 佳苑: a relocation estate, mostly in the towns.
    case relocationEstate

    var buildingCount: ClosedRange<Int> {
        switch self {
        case .workersVillage: 12...40
        case .commercialEstate: 5...20
        case .relocationEstate: 6...18
        }
    }

    /// Weights of walk-up, mid-rise and tower buildings.
    var buildingKindWeights: [Int] {
        switch self {
        case .workersVillage: [95, 5, 0]
        case .commercialEstate: [15, 25, 60]
        case .relocationEstate: [0, 50, 50]
        }
    }

    var nameSuffixes: [String] {
        switch self {
        case .workersVillage: ["新村", "一村", "二村", "三村", "四村"]
        case .commercialEstate: ["花园", "名苑", "公寓", "雅苑", "华庭", "花苑"]
        case .relocationEstate: ["家园", "佳苑", "新苑", "馨苑", "锦苑"]
        }
    }

    /// Kind weights for a sub-district office (街道, urban) and for a town (镇).
    static let urbanWeights = [55, 45, 0]
    static let townWeights = [25, 45, 30]
}

enum BuildingKind: Int, CaseIterable {
    case walkUp, midRise, tower

    var floors: ClosedRange<Int> {
        switch self {
        case .walkUp: 5...7
        case .midRise: 8...12
        case .tower: 18...33
        }
    }

    var flatsPerFloor: ClosedRange<Int> {
        switch self {
        case .walkUp, .midRise: 2...4
        case .tower: 3...6
        }
    }
}

/// Totals for progress reports and capacity planning.
public struct DemoCounts: Sendable, Hashable {
    /// Exact: the generator lays out the buildings before it fills them.
    public let households: Int
    /// An estimate from the mean household size; the real count differs by well under 1 %.
    public let residents: Int
}
