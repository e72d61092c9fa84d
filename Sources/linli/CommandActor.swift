import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The actor the audit log names for every change made with the command line:
/// `cli:<account>`, the operating-system account that ran it (`cli` if it has no name).
///
/// Whoever runs `linli` against the database already holds its keys, so Linli cannot check who
/// they are; the account is what tells an auditor which person on the machine to ask. Changes
/// through the web and the API name the logged-in user instead (`user:<id>`).
enum CommandActor {
    static let name: String = {
        guard let entry = getpwuid(geteuid()), let login = entry.pointee.pw_name else { return "cli" }
        let account = String(cString: login)
        return account.isEmpty ? "cli" : "cli:" + account
    }()
}
