// Care pairing at district scale (docs/PERFORMANCE.md, "Care pairing (district)"): builds a
// pairing instance from the district demo, times the full pairing and a re-pairing after 5 % of
// the helpers drop out, and with `--export DIR` writes every compound's two stages as plain
// per-pair min-cost-flow graphs with the Swift solver's answers, for scripts/bench/care-pairing
// to solve again with OR-Tools.
//   linli-bench-care [--export DIR]
import Foundation
import LinliCore

/// A deterministic hash of an id and a purpose, so each choice (who is registered, who helps,
/// who needs what) is reproducible and independent of the others.
func mix(_ value: Int64, _ purpose: UInt64) -> UInt64 {
    var z = UInt64(bitPattern: value) &+ purpose &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Per ten thousand.
func chance(_ value: Int64, _ purpose: UInt64, _ basisPoints: UInt64) -> Bool { mix(value, purpose) % 10_000 < basisPoints }

let targetPeople = 100_000
let targetHelpers = 70_000

/// What the benchmark keeps of the demo: buildings, the registered people (a sample of
/// households) and the resident volunteers who may help.
struct Collector: DemoSink {
    var peopleBasisPoints: UInt64
    var buildingCompound: [PlaceID: PlaceID] = [:]
    var buildingOrdinal: [PlaceID: Int] = [:]
    var compoundBuildings: [PlaceID: Int] = [:]
    var compoundHouseholds: [PlaceID: Int] = [:]
    var compoundName: [PlaceID: String] = [:]
    var householdFloor: [PlaceID: Int] = [:]
    var householdBuilding: [PlaceID: PlaceID] = [:]
    var residentHousehold: [ResidentID: PlaceID] = [:]
    var people: [PairingInstance.Person] = []
    var volunteers: [(volunteer: Volunteer, household: PlaceID)] = []
    var households = 0

    mutating func places(_ places: [Place]) async throws {
        for place in places {
            switch place.level {
            case .compound:
                compoundName[place.id] = place.name
            case .building:
                guard let compound = place.parentID else { continue }
                buildingCompound[place.id] = compound
                buildingOrdinal[place.id] = compoundBuildings[compound, default: 0]
                compoundBuildings[compound, default: 0] += 1
            default:
                break
            }
        }
    }

    mutating func households(_ rows: [Household]) async throws {
        for household in rows {
            households += 1
            let floor = (Int(household.room) ?? 100) / 100
            householdFloor[household.id] = floor
            householdBuilding[household.id] = household.buildingID
            guard let compound = buildingCompound[household.buildingID] else { continue }
            compoundHouseholds[compound, default: 0] += 1
            let id = household.id.rawValue
            guard mix(id, 1) % 1_000_000 < peopleBasisPoints else { continue }
            // Most registered people need nothing special; the rest a skill the helpers have.
            var needs: [String] = []
            let draw = mix(id, 2) % 10_000
            if draw < 700 { needs = ["medical"] } else if draw < 800 { needs = ["medical", "driver"] } else if draw < 1_000 { needs = ["sign_language"] } else if draw < 1_300 { needs = ["dialect"] } else if draw < 1_500 { needs = ["driver"] }
            people.append(PairingInstance.Person(id: "r\(id)", compound: "\(compound.rawValue)", building: "\(household.buildingID.rawValue)", floor: floor, needs: needs))
        }
    }

    mutating func residents(_ residents: [Resident]) async throws {
        for resident in residents { residentHousehold[resident.id] = resident.householdID }
    }

    mutating func volunteers(_ rows: [Volunteer]) async throws {
        for volunteer in rows {
            if let resident = volunteer.residentID, let household = residentHousehold[resident] { volunteers.append((volunteer, household)) }
        }
    }

    mutating func teams(_ teams: [Team]) async throws {}
}

func collect(_ generator: DemoGenerator) async throws -> Collector {
    var collector = Collector(peopleBasisPoints: UInt64(targetPeople) * 1_000_000 / UInt64(max(generator.expectedCounts.households, 1)))
    try await generator.generate(into: &collector) { _ in }
    return collector
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU seconds of the whole process (every thread), beside the wall clock: the machine is shared.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func format(_ value: Double) -> String { String(format: "%.3f", value) }

@main
enum BenchCare {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let exportDirectory = arguments.firstIndex(of: "--export").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        let clock = ContinuousClock()

        // MARK: - The district and its instance

        var started = clock.now
        let generator = DemoGenerator(scale: .district, referenceYear: 2022)
        let collector = try await collect(generator)
        print("district generated: \(collector.households) households, \(collector.compoundName.count) compounds in \(format(seconds(clock.now - started))) s")

        // The helpers: the resident volunteers with the smallest hashes, so the choice is deterministic.
        let chosenVolunteers = collector.volunteers.sorted { mix($0.volunteer.id.rawValue, 3) < mix($1.volunteer.id.rawValue, 3) }.prefix(targetHelpers)
        var helpers: [PairingInstance.Helper] = []
        for (volunteer, household) in chosenVolunteers.sorted(by: { $0.volunteer.id < $1.volunteer.id }) {
            guard let building = collector.householdBuilding[household], let compound = collector.buildingCompound[building] else { continue }
            let id = volunteer.id.rawValue
            var skills: [String] = []
            if volunteer.skills.contains("医护") { skills.append("medical") }
            if volunteer.skills.contains("驾驶") { skills.append("driver") }
            if chance(id, 4, 400) { skills.append("sign_language") }
            if chance(id, 5, 2_500) { skills.append("dialect") }
            let capacity: Int? = chance(id, 6, 1_500) ? Int(mix(id, 7) % 5) + 1 : nil
            helpers.append(PairingInstance.Helper(id: "v\(id)", compound: "\(compound.rawValue)", building: "\(building.rawValue)", floor: collector.householdFloor[household] ?? 1, skills: skills, capacity: capacity))
        }

        // Buildings on a plan of rows 45 m apart and 60 m deep; about one in twelve has no position.
        var buildings: [PairingInstance.Building] = []
        for (building, compound) in collector.buildingCompound.sorted(by: { $0.key < $1.key }) {
            let ordinal = collector.buildingOrdinal[building] ?? 0
            let id = building.rawValue
            let placed = !chance(id, 8, 800)
            let jitter = Double(mix(id, 9) % 15)
            buildings.append(PairingInstance.Building(compound: "\(compound.rawValue)", building: "\(id)", x: placed ? Double(ordinal % 12) * 45 + jitter : nil, y: placed ? Double(ordinal / 12) * 60 + jitter : nil))
        }

        // A few pins: one registered person in two hundred keeps a helper of their building chosen by hand.
        var people = collector.people
        let helpersByBuilding = Dictionary(grouping: helpers, by: \.building)
        for index in people.indices where chance(Int64(index), 10, 50) {
            let person = people[index]
            let needs = Set(person.needs ?? [])
            if let helper = helpersByBuilding[person.building]?.first(where: { needs.isSubset(of: Set($0.skills ?? [])) }) {
                people[index].pinned = helper.id
            }
        }
        let instance = PairingInstance(buildings: buildings, people: people, helpers: helpers)
        if let problem = instance.problem() { fatalError("the district instance is refused: \(problem)") }

        let peopleByCompound = Dictionary(grouping: instance.people, by: \.compound)
        let helpersByCompound = Dictionary(grouping: instance.helpers, by: \.compound)
        let largest = collector.compoundHouseholds.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
        if let (compound, households) = largest {
            let key = "\(compound.rawValue)"
            print("largest compound: \(collector.compoundName[compound] ?? key), \(households) households, \(collector.compoundBuildings[compound] ?? 0) buildings, \(peopleByCompound[key]?.count ?? 0) people, \(helpersByCompound[key]?.count ?? 0) helpers")
        }
        let largestPair = peopleByCompound.map { ($0.key, $0.value.count * (helpersByCompound[$0.key]?.count ?? 0)) }.max { $0.1 < $1.1 }
        print("instance: \(instance.people.count) people (\(instance.people.filter { !($0.needs ?? []).isEmpty }.count) with needs, \(instance.people.filter { $0.pinned != nil }.count) pinned), \(instance.helpers.count) helpers, \(instance.buildings?.count ?? 0) buildings, \(peopleByCompound.count) compounds with people; largest people × helpers in a compound: \(largestPair?.1 ?? 0)")

        // MARK: - Timings

        // The machine is shared and noisy: each timing is the median of `runs`, all runs listed.
        let runs = max(1, Int(ProcessInfo.processInfo.environment["RUNS"] ?? "") ?? 5)
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        var result = PairingSolver.solve(instance)
        var solveTimes: [Double] = [], solveCPU: [Double] = []
        for _ in 0..<runs {
            started = clock.now
            let cpu = cpuSeconds()
            result = PairingSolver.solve(instance)
            solveCPU.append(cpuSeconds() - cpu)
            solveTimes.append(seconds(clock.now - started))
        }
        let solveSeconds = median(solveTimes)
        print("full pairing (both stages): \(format(solveSeconds)) s wall clock, median of \(solveTimes.map(format).joined(separator: " ")), CPU \(format(median(solveCPU))) s; \(result.primary.count) primaries, \(result.backup.count) backups, \(result.unpaired.count) unpaired; cost primary \(result.cost.primary), backup \(result.cost.backup)")

        // 5 % of the helpers, chosen by a hash of their volunteer id.
        let leaving = Set(instance.helpers.filter { chance(Int64($0.id.dropFirst()) ?? 0, 11, 500) }.map(\.id))
        var repaired = PairingRepair.repair(instance, previous: result, unavailable: leaving)
        var repairTimes: [Double] = [], repairCPU: [Double] = []
        for _ in 0..<runs {
            started = clock.now
            let cpu = cpuSeconds()
            repaired = PairingRepair.repair(instance, previous: result, unavailable: leaving)
            repairCPU.append(cpuSeconds() - cpu)
            repairTimes.append(seconds(clock.now - started))
        }
        let repairSeconds = median(repairTimes)
        let affected = Set(instance.helpers.filter { leaving.contains($0.id) }.map(\.compound))
        print("re-pairing after \(leaving.count) helpers (\(format(Double(leaving.count) * 100 / Double(max(instance.helpers.count, 1))))) %) drop out: \(format(repairSeconds)) s wall clock, median of \(repairTimes.map(format).joined(separator: " ")), CPU \(format(median(repairCPU))) s; \(affected.count) compounds affected, \(repaired.moved.count) people moved, \(repaired.result.unpaired.count) unpaired; cost primary \(repaired.result.cost.primary), backup \(repaired.result.cost.backup)")

        // MARK: - Export for OR-Tools

        guard let exportDirectory else { return }
        started = clock.now
        let distance = PairingSolver.Distance(instance)
        let helperByID = Dictionary(uniqueKeysWithValues: instance.helpers.map { ($0.id, $0) })
        var arcs: [Int64] = []
        var graphs: [[String: Any]] = []

        /// The plain formulation, built here independently of the solver: source 0, sink 1, people, then
        /// helpers; one arc per person and eligible helper; one arc per free load slot.
        func export(compound: String, stage: String, people: [PairingInstance.Person], helpers: [PairingInstance.Helper], excluded: [String: String], pins: Bool, answer: [String: String]) {
            var used = [Int](repeating: 0, count: helpers.count)
            let index = Dictionary(uniqueKeysWithValues: helpers.enumerated().map { ($1.id, $0) })
            var fixedCost: Int64 = 0
            var fixed = 0
            var free: [PairingInstance.Person] = []
            for person in people {
                if pins, let pin = person.pinned, let h = index[pin] {
                    used[h] += 1
                    fixed += 1
                    fixedCost += distance(person, helpers[h]) + PairingSolver.loadCost(used[h])
                } else {
                    free.append(person)
                }
            }
            let first = arcs.count / 4
            for (p, person) in free.enumerated() {
                arcs += [0, Int64(2 + p), 1, 0]
                for (h, helper) in helpers.enumerated() where PairingSolver.eligible(person, helper) && excluded[person.id] != helper.id {
                    arcs += [Int64(2 + p), Int64(2 + free.count + h), 1, distance(person, helper)]
                }
            }
            for (h, helper) in helpers.enumerated() where used[h] < PairingSolver.capacity(of: helper) {
                for k in (used[h] + 1)...PairingSolver.capacity(of: helper) {
                    arcs += [Int64(2 + free.count + h), 1, 1, PairingSolver.loadCost(k)]
                }
            }
            graphs.append([
                "compound": compound, "stage": stage, "nodes": 2 + free.count + helpers.count, "first": first, "count": arcs.count / 4 - first,
                "supply": free.count, "fixed": fixed, "fixedCost": fixedCost,
                "swiftPaired": people.filter { answer[$0.id] != nil }.count,
                "swiftCost": PairingSolver.cost(of: answer, people: people, helpers: helperByID, distance: distance) ?? -1,
            ])
        }

        for (compound, people) in peopleByCompound.sorted(by: { $0.key < $1.key }) {
            let helpers = helpersByCompound[compound] ?? []
            export(compound: compound, stage: "primary", people: people, helpers: helpers, excluded: [:], pins: true, answer: result.primary)
            export(compound: compound, stage: "backup", people: people, helpers: helpers, excluded: result.primary, pins: false, answer: result.backup)
        }
        try FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
        try arcs.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: exportDirectory + "/arcs.bin"))
        let summary: [String: Any] = [
            "graphs": graphs,
            "swift": ["seconds": solveSeconds, "cpuSeconds": median(solveCPU), "repairSeconds": repairSeconds, "primaryCost": result.cost.primary, "backupCost": result.cost.backup, "primaries": result.primary.count, "backups": result.backup.count],
        ]
        try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]).write(to: URL(fileURLWithPath: exportDirectory + "/graphs.json"))
        print("exported \(graphs.count) graphs, \(arcs.count / 4) arcs to \(exportDirectory) in \(format(seconds(clock.now - started))) s")
    }
}
