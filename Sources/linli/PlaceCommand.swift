import ArgumentParser
import Foundation
import LinliCore
import LinliStore

struct PlaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Add and list places of the tree (city > district > subdistrict > committee > compound > building > household).",
        subcommands: [Add.self, List.self]
    )

    /// The audit entry for a place made at the command line (by `place add`, or the root place
    /// of a first start).
    static func creationEntry(_ place: Place, at time: Date) -> AuditEntry {
        var after = ["level": place.level.rawValue, "name": place.name]
        if let code = place.code { after["code"] = code }
        return AuditEntry(at: time, actor: CommandActor.name, action: "place.create", entity: "place", entityID: "\(place.id)", path: place.path.rawValue, after: UserCommand.json(after))
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a place under a parent; prints its id.")
        @Option(help: "Parent place id (omit for a new root city).") var parent: PlaceID?
        @Option(help: "city, district, subdistrict, committee, compound or building.") var level: String
        @Option(help: "Name, e.g. 联洋第一居委会.") var name: String
        @Option(help: "Optional code, e.g. an administrative code or a building number.") var code: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard let level = PlaceLevel(rawValue: level), level != .household else { throw ValidationError("--level must be city, district, subdistrict, committee, compound or building") }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        }

        func run() async throws {
            guard let level = PlaceLevel(rawValue: level) else { return }
            let place = try await database.withStore { store in
                try await store.write { db in
                    var parentPlace: Place?
                    if let parent {
                        guard let found = try await DirectoryRecords.place(id: parent, on: db) else { throw CLIError("no place with id \(parent)") }
                        guard found.level.child == level else { throw CLIError("a \(level.rawValue) cannot be placed under a \(found.level.rawValue)") }
                        parentPlace = found
                    } else if level != .city {
                        throw CLIError("only a city has no parent: give --parent")
                    }
                    let place = try await DirectoryRecords.createPlace(parent: parentPlace, level: level, name: name, code: code, on: db)
                    try await AuditRecords.append([PlaceCommand.creationEntry(place, at: Date())], on: db)
                    return place
                }
            }
            print("\(place.id)\t\(place.level.rawValue)\t\(place.name)\t\(place.path)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the children of a place (or the roots).")
        @Option(help: "Parent place id (omit for the roots).") var parent: PlaceID?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let places = try await database.withStore { store in
                try await store.read { db -> [Place] in
                    if let parent { return try await DirectoryRecords.children(of: parent, on: db).map(\.place) }
                    return try await DirectoryRecords.rootPlaces(on: db)
                }
            }
            for place in places { print("\(place.id)\t\(place.level.rawValue)\t\(place.name)\t\(place.path)") }
        }
    }
}
