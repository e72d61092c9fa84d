/// A person before they get an id: the household generator decides ages, genders and family
/// surnames together so that a family reads like one (children carry the father's surname, a
/// wife keeps her own, grandparents are a generation older).
struct PersonDraft {
    var age: Int
    var gender: Gender
    var surname: Int
}

/// Who lives together in a flat. Weights per mille are tuned so that the district averages
/// ~2.45 persons per household (5.7 million residents in 2.3 million households) and ~36 % of
/// residents are 60 or older, ~5–6 % 80 or older (Shanghai in 2022: 533万 aged 60+, 36.1 %).
enum HouseholdMakeup: Int, CaseIterable {
    /// 独居老人: 30.52万 people in Shanghai live alone aged 60+.
    case elderAlone
    case elderCouple
    case singleAdult
    case youngCouple
    case parentsAndChildren
    case parentsAndAdultChild
    case threeGenerations
    /// A frail parent with the son or daughter who looks after them.
    case elderWithAdultChild
    /// 合租: unrelated young tenants sharing a flat.
    case sharedRental

    static let weightsPerMille = [85, 260, 85, 60, 170, 110, 95, 80, 55]
    static let pick = WeightedPick(weightsPerMille)

    /// Mean persons per household of each makeup, for the resident estimate in `expectedCounts`.
    var expectedSize: Double {
        switch self {
        case .elderAlone, .singleAdult: 1
        case .elderCouple, .youngCouple, .elderWithAdultChild: 2
        case .parentsAndChildren: 3.2
        case .parentsAndAdultChild: 3
        case .threeGenerations: 4.9
        case .sharedRental: 3
        }
    }

    static let expectedMeanSize: Double = allCases.reduce(0) { $0 + Double(weightsPerMille[$1.rawValue]) * $1.expectedSize } / Double(weightsPerMille.reduce(0, +))

    /// Share of such households that rent (租户), in basis points.
    var tenantBasisPoints: Int {
        switch self {
        case .elderAlone, .elderCouple, .elderWithAdultChild: 200
        case .singleAdult: 6_000
        case .youngCouple: 3_500
        case .parentsAndChildren: 1_500
        case .parentsAndAdultChild, .threeGenerations: 500
        case .sharedRental: 9_500
        }
    }
}

enum DemoPeople {
    static func surname(_ random: inout DemoRandom) -> Int { DemoNames.surnamePick.pick(&random) }

    static func gender(_ random: inout DemoRandom) -> Gender { random.below(2) == 0 ? .female : .male }

    /// Ages 60+ by decade, from Shanghai's registered elderly: about 45 % in their sixties,
    /// 38 % seventies, 12 % eighties, 3 % ninety and over.
    private static let elderDecadePick = WeightedPick([47, 38, 12, 3])
    /// Those living alone are older: most are widowed.
    private static let aloneDecadePick = WeightedPick([20, 42, 30, 8])

    static func elderAge(_ random: inout DemoRandom, alone: Bool = false) -> Int {
        let decade = alone ? aloneDecadePick.pick(&random) : elderDecadePick.pick(&random)
        return 60 + decade * 10 + random.below(10)
    }

    /// Fills `members` with one household; returns its makeup.
    static func household(_ random: inout DemoRandom, into members: inout [PersonDraft]) -> HouseholdMakeup {
        members.removeAll(keepingCapacity: true)
        let makeup = HouseholdMakeup(rawValue: HouseholdMakeup.pick.pick(&random)) ?? .youngCouple
        switch makeup {
        case .elderAlone:
            // Women outlive their husbands: about seven in ten living alone are widows.
            let age = max(65, elderAge(&random, alone: true))
            members.append(PersonDraft(age: age, gender: random.chance(7_000) ? .female : .male, surname: surname(&random)))
        case .elderCouple:
            appendCouple(husbandAge: elderAge(&random), &random, into: &members)
        case .singleAdult:
            let age = random.chance(7_000) ? random.int(in: 22...35) : random.int(in: 36...59)
            members.append(PersonDraft(age: age, gender: gender(&random), surname: surname(&random)))
        case .youngCouple:
            appendCouple(husbandAge: random.int(in: 25...40), &random, into: &members)
        case .parentsAndChildren:
            let family = appendCouple(husbandAge: random.int(in: 28...52), &random, into: &members)
            appendChildren(count: random.chance(2_000) ? 2 : 1, oldest: min(18, family.motherAge - 22), family: family, &random, into: &members)
        case .parentsAndAdultChild:
            let family = appendCouple(husbandAge: random.int(in: 48...66), &random, into: &members)
            let age = random.int(in: 18...max(18, family.motherAge - 23))
            members.append(PersonDraft(age: age, gender: gender(&random), surname: family.surname))
        case .threeGenerations:
            let family = appendCouple(husbandAge: random.int(in: 30...45), &random, into: &members)
            appendChildren(count: random.chance(2_500) ? 2 : 1, oldest: min(15, family.motherAge - 22), family: family, &random, into: &members)
            // Grandparents help with the children; six in ten are the father's parents.
            let grandparentSurname = random.chance(6_000) ? family.surname : family.motherSurname
            let grandfatherAge = min(95, family.fatherAge + random.int(in: 24...32))
            if random.chance(6_000) {
                appendCouple(husbandAge: grandfatherAge, surname: grandparentSurname, &random, into: &members)
            } else {
                let widowed = random.chance(7_000)
                members.append(PersonDraft(age: grandfatherAge - random.below(3), gender: widowed ? .female : .male, surname: widowed ? surname(&random) : grandparentSurname))
            }
        case .elderWithAdultChild:
            let parentAge = random.int(in: 70...94)
            let parent = PersonDraft(age: parentAge, gender: random.chance(7_000) ? .female : .male, surname: surname(&random))
            members.append(parent)
            members.append(PersonDraft(age: max(38, parentAge - random.int(in: 24...34)), gender: gender(&random), surname: random.chance(7_000) ? parent.surname : surname(&random)))
        case .sharedRental:
            for _ in 0..<random.int(in: 2...4) {
                members.append(PersonDraft(age: random.int(in: 20...40), gender: gender(&random), surname: surname(&random)))
            }
        }
        return makeup
    }

    private struct Family {
        var surname: Int
        var motherSurname: Int
        var fatherAge: Int
        var motherAge: Int
    }

    @discardableResult
    private static func appendCouple(husbandAge: Int, surname familySurname: Int? = nil, _ random: inout DemoRandom, into members: inout [PersonDraft]) -> Family {
        let familySurname = familySurname ?? surname(&random)
        let wifeAge = max(20, husbandAge - random.below(5))
        let wifeSurname = surname(&random)
        members.append(PersonDraft(age: husbandAge, gender: .male, surname: familySurname))
        members.append(PersonDraft(age: wifeAge, gender: .female, surname: wifeSurname))
        return Family(surname: familySurname, motherSurname: wifeSurname, fatherAge: husbandAge, motherAge: wifeAge)
    }

    private static func appendChildren(count: Int, oldest: Int, family: Family, _ random: inout DemoRandom, into members: inout [PersonDraft]) {
        for _ in 0..<count {
            // One in ten children carries the mother's surname.
            let childSurname = random.chance(1_000) ? family.motherSurname : family.surname
            members.append(PersonDraft(age: random.below(max(1, oldest + 1)), gender: gender(&random), surname: childSurname))
        }
    }

    /// Most people have a mobile; many of the very old do not (committees' registers of vulnerable
    /// residents note who has no smartphone), and young children never do.
    static func hasPhone(age: Int, _ random: inout DemoRandom) -> Bool {
        switch age {
        case ..<12: false
        case 12..<18: random.chance(6_000)
        case 18..<70: random.chance(9_800)
        case 70..<80: random.chance(8_500)
        default: random.chance(5_500)
        }
    }

    /// Sensitive health notes a committee keeps for medicine runs and emergency rides (a dialysis
    /// patient who needs a ride tonight). Shares are rough national prevalences: hypertension in
    /// about half of those 60+, but only those on regular medication are noted; dialysis ~0.1 %
    /// overall.
    static func healthNote(age: Int, gender: Gender, _ random: inout DemoRandom) -> String? {
        if age >= 40 {
            if random.chance(15) { return "血透（每周三次）" }
            if random.chance(30) { return "化疗中" }
        }
        if gender == .female, (23...40).contains(age), random.chance(450) {
            return pregnancyNotes[random.below(pregnancyNotes.count)]
        }
        if random.chance(30) { return "长期服用精神类药物" }
        let roll = random.below(10_000)
        switch age {
        case 60...:
            switch roll {
            case ..<2_000: return "高血压"
            case ..<2_500: return "高血压、糖尿病"
            case ..<3_100: return "糖尿病"
            case ..<3_400: return "糖尿病（注射胰岛素）"
            case ..<3_800: return "冠心病"
            case ..<3_950: return "慢阻肺"
            default: return nil
            }
        case 40..<60:
            switch roll {
            case ..<800: return "高血压"
            case ..<1_100: return "糖尿病"
            case ..<1_180: return "糖尿病（注射胰岛素）"
            default: return nil
            }
        default:
            return roll < 100 ? "哮喘" : nil
        }
    }

    private static let pregnancyNotes: [String] = (6...39).map { "孕\($0)周" }

    /// Sensitive disability notes for the care register, the committee's list of vulnerable
    /// residents to check on. Shanghai counts 59.5万 disabled people (~2.4 %); bedridden, dementia
    /// and wheelchair use rise steeply at 80+.
    static func disabilityNote(age: Int, _ random: inout DemoRandom) -> String? {
        let roll = random.below(10_000)
        switch age {
        case 80...:
            switch roll {
            case ..<500: return "长期卧床"
            case ..<900: return "失智（认知障碍）"
            case ..<1_400: return "坐轮椅"
            case ..<1_600: return "视力残疾"
            default: return nil
            }
        case 60..<80:
            switch roll {
            case ..<80: return "长期卧床"
            case ..<160: return "失智（认知障碍）"
            case ..<300: return "坐轮椅"
            case ..<400: return "视力残疾"
            case ..<500: return "听力残疾"
            default: return nil
            }
        default:
            switch roll {
            case ..<40: return "肢体残疾"
            case ..<60: return "视力残疾"
            case ..<80: return "听力残疾"
            case ..<95: return "智力残疾"
            default: return nil
            }
        }
    }
}
