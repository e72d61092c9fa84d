import ArgumentParser
import Foundation
import LinliCore
import LinliStore

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export the household register of a place as XLSX or CSV (phones masked unless --unmasked).")

    @Argument(help: "The file to write; .xlsx or .csv decides the format.") var file: String
    @Option(help: "Id of the place to export.") var place: PlaceID
    @Flag(help: "Write full phone numbers. Needs --as with a role that may export them; audited.") var unmasked = false
    @Option(name: .customLong("as"), help: "Phone of the user on whose behalf the export runs (required with --unmasked).") var asUser: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard SpreadsheetFormat(fileName: file) != nil else { throw ValidationError("the file name must end in .xlsx or .csv") }
        if unmasked, asUser == nil { throw ValidationError("--unmasked needs --as PHONE: the export is made and audited on that user's authority") }
    }

    func run() async throws {
        guard let format = SpreadsheetFormat(fileName: file) else { return }
        try await database.withStore { store in
            var actor = CommandActor.name
            var includeSensitive = false
            let placeRecord = try await store.read { db in try await DirectoryRecords.place(id: place, on: db) }
            guard let placeRecord else { throw CLIError("no place with id \(place)") }
            if unmasked, let asUser {
                let phone = UserRecords.normalizedPhone(asUser)
                let (user, roles) = try await store.read { db -> (User?, [RoleAssignment]) in
                    guard let user = try await UserRecords.user(phone: phone, on: db) else { return (nil, []) }
                    return (user, try await UserRecords.roles(userID: user.id, on: db))
                }
                guard let user else { throw CLIError("no user with phone \(phone)") }
                let grants = Grants(roles: roles)
                guard grants.allows(.exportUnmasked, at: placeRecord.path) else { throw CLIError("\(phone) may not export full phone numbers of this place") }
                includeSensitive = grants.allows(.viewSensitive, at: placeRecord.path)
                actor = "user:\(user.id)"
            }
            let (rows, sensitiveResidents) = try await RegisterImporter(store: store).export(placeID: place, maskPhones: !unmasked, includeSensitive: includeSensitive)
            try Spreadsheet.encode(rows, format: format, sheetName: "户籍底册").write(to: URL(fileURLWithPath: file))
            let entry = AuditEntry(at: Date(), actor: actor, action: unmasked ? "register.export_unmasked" : "register.export", entity: "place", entityID: "\(place)", path: placeRecord.path.rawValue, after: ExportAuditSummary(rows: rows.count - 1, sensitiveResidents: sensitiveResidents, via: "cli").json)
            try await store.write { db in try await AuditRecords.append([entry], on: db) }
            print("exported \(rows.count - 1) residents to \(file)" + (unmasked ? " (full phone numbers; audited)" : " (phones masked)"))
        }
    }
}
