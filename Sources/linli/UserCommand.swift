import ArgumentParser
import Foundation
import LinliCore
import LinliServer
import LinliStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (volunteers and staff who log in).",
        subcommands: [Add.self, Passwd.self, Roles.self]
    )

    /// "building_leader@1234": a role at a place id.
    static func parseRole(_ text: String) throws -> (RoleKind, PlaceID) {
        let pieces = text.split(separator: "@")
        guard pieces.count == 2, let role = RoleKind(rawValue: String(pieces[0])), let place = PlaceID(pieces[1]) else {
            throw ValidationError("a role is ROLE@PLACE_ID, e.g. building_leader@1234; roles: \(RoleKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return (role, place)
    }

    static func json(_ fields: [String: String]) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func grantEntry(userID: UserID, role: RoleKind, place: Place, at time: Date) -> AuditEntry {
        AuditEntry(at: time, actor: CommandActor.name, action: "role.grant", entity: "user", entityID: "\(userID)", path: place.path.rawValue, after: json(["role": role.rawValue, "place": "\(place.id)"]))
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; prints a one-time password unless --password is given.")
        @Option(help: "Login phone number.") var phone: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Password (at least 8 characters). Omit to generate one.") var password: String?
        @Option(name: .customLong("role"), help: "ROLE@PLACE_ID, repeatable.") var roles: [String] = []
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let password, password.count < Passwords.minimumLength { throw ValidationError("--password must have at least \(Passwords.minimumLength) characters") }
            for role in roles { _ = try UserCommand.parseRole(role) }
        }

        func run() async throws {
            let phone = UserRecords.normalizedPhone(self.phone)
            let chosen = password ?? Tokens.readablePassword()
            let hash = try await Passwords().hash(chosen)
            let grants = try roles.map(UserCommand.parseRole)
            let now = Date()
            try await database.withStore { store in
                try await store.write { db in
                    if try await UserRecords.user(phone: phone, on: db) != nil { throw CLIError("a user with phone \(phone) already exists") }
                    let id = try await UserRecords.insert(phone: phone, name: name, passwordHash: hash, at: now, on: db)
                    var audit = [AuditEntry(at: now, actor: CommandActor.name, action: "user.create", entity: "user", entityID: "\(id)", after: UserCommand.json(["phone": phone, "name": name]))]
                    for (role, placeID) in grants {
                        guard let place = try await DirectoryRecords.place(id: placeID, on: db) else { throw CLIError("no place with id \(placeID)") }
                        try await UserRecords.grant(role, at: place, to: id, on: db)
                        audit.append(UserCommand.grantEntry(userID: id, role: role, place: place, at: now))
                    }
                    try await AuditRecords.append(audit, on: db)
                }
            }
            print("created user \(phone)" + (password == nil ? " with password \(chosen)" : ""))
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (and end their sessions); prints a new one unless --password is given.")
        @Option(help: "Login phone number.") var phone: String
        @Option(help: "New password (at least 8 characters). Omit to generate one.") var password: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let password, password.count < Passwords.minimumLength { throw ValidationError("--password must have at least \(Passwords.minimumLength) characters") }
        }

        func run() async throws {
            let phone = UserRecords.normalizedPhone(self.phone)
            let chosen = password ?? Tokens.readablePassword()
            let hash = try await Passwords().hash(chosen)
            try await database.withStore { store in
                try await store.write { db in
                    guard let user = try await UserRecords.user(phone: phone, on: db) else { throw CLIError("no user with phone \(phone)") }
                    try await UserRecords.setPassword(userID: user.id, passwordHash: hash, on: db)
                    try await SessionRecords.deleteUserSessions(userID: user.id, on: db)
                    try await AuditRecords.append([AuditEntry(at: Date(), actor: CommandActor.name, action: "user.password", entity: "user", entityID: "\(user.id)")], on: db)
                }
            }
            print("password of \(phone) changed" + (password == nil ? ": \(chosen)" : ""))
        }
    }

    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show, grant or revoke a user's roles at places.")
        @Option(help: "Login phone number.") var phone: String
        @Option(help: "ROLE@PLACE_ID to grant, repeatable.") var grant: [String] = []
        @Option(help: "ROLE@PLACE_ID to revoke, repeatable.") var revoke: [String] = []
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            for role in grant + revoke { _ = try UserCommand.parseRole(role) }
        }

        func run() async throws {
            let phone = UserRecords.normalizedPhone(self.phone)
            let grants = try grant.map(UserCommand.parseRole)
            let revokes = try revoke.map(UserCommand.parseRole)
            let roles = try await database.withStore { store in
                try await store.write { db in
                    guard let user = try await UserRecords.user(phone: phone, on: db) else { throw CLIError("no user with phone \(phone)") }
                    var audit: [AuditEntry] = []
                    for (role, placeID) in grants {
                        guard let place = try await DirectoryRecords.place(id: placeID, on: db) else { throw CLIError("no place with id \(placeID)") }
                        try await UserRecords.grant(role, at: place, to: user.id, on: db)
                        audit.append(UserCommand.grantEntry(userID: user.id, role: role, place: place, at: Date()))
                    }
                    for (role, placeID) in revokes {
                        try await UserRecords.revoke(role, at: placeID, from: user.id, on: db)
                        audit.append(AuditEntry(at: Date(), actor: CommandActor.name, action: "role.revoke", entity: "user", entityID: "\(user.id)", before: UserCommand.json(["role": role.rawValue, "place": "\(placeID)"])))
                    }
                    try await AuditRecords.append(audit, on: db)
                    return try await UserRecords.roles(userID: user.id, on: db)
                }
            }
            if roles.isEmpty { print("\(phone) has no roles") }
            for role in roles { print("\(role.role.rawValue)@\(role.placeID)  (\(role.path))") }
        }
    }
}
