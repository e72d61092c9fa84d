import Hummingbird
import LinliCore
import LinliStore

/// Who is calling: nobody yet, a volunteer or staff user with roles at places, or a household
/// that opened its own page with its code.
public enum Caller: Sendable {
    case anonymous
    case user(UserIdentity)
    case household(HouseholdIdentity)

    /// The session the caller came with, and the hash of its token; nil for anonymous callers.
    var session: Session? {
        switch self {
        case .user(let identity): identity.session
        case .household(let identity): identity.session
        case .anonymous: nil
        }
    }

    var tokenHash: String? {
        switch self {
        case .user(let identity): identity.tokenHash
        case .household(let identity): identity.tokenHash
        case .anonymous: nil
        }
    }
}

public struct UserIdentity: Sendable {
    public var user: User
    public var grants: Grants
    public var session: Session
    public var tokenHash: String
}

public struct HouseholdIdentity: Sendable {
    public var household: Household
    public var session: Session
    public var tokenHash: String
}

public struct LinliRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .default
    public var caller: Caller = .anonymous
    /// The token the next form must carry back: the session's, or the anonymous double-submit cookie's.
    public var csrfToken: String = ""

    /// The client's address, for the guess limits: the peer's, or behind a trusted proxy the one
    /// it reports (`ClientAddressMiddleware`).
    public var remoteIP: String
    /// The request's path and query, for links back to the page (set by the language middleware).
    public var path: String = "/"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Register spreadsheets of a whole committee run to a few megabytes.
    /// Register files may be large; a JSON body or a form never needs to be (a pasted chain list
    /// of a thousand lines is well under 1 MB). Larger bodies answer 413 unread.
    public var maxUploadSize: Int { 16 * 1024 * 1024 }
    public var maxJSONSize: Int { 256 * 1024 }
    public var maxFormSize: Int { 1024 * 1024 }

    public var traceID: String { id }

    /// Whether the request came through the JSON API's door, which takes only bearer tokens.
    /// Decided by the route that matched (Hummingbird names it before the route's middlewares
    /// run), so no spelling of a path can bring a page's session cookie to an API handler. A
    /// request that matched no route (Hummingbird names its endpoint "NotFound") is answered 404
    /// either way; its shape follows its path.
    func isAPI(_ request: Request) -> Bool {
        let path = endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? request.uri.path
        return path.hasPrefix("/api/") || path == "/openapi.json"
    }

    func requireUser() throws -> UserIdentity {
        switch caller {
        case .user(let identity): return identity
        case .household: throw AppError.forbidden
        case .anonymous: throw AppError.unauthenticated
        }
    }

    func requireHousehold() throws -> HouseholdIdentity {
        switch caller {
        case .household(let identity): return identity
        case .user: throw AppError.forbidden
        case .anonymous: throw AppError.unauthenticated
        }
    }

    /// The audit log's name for the caller.
    var actor: String {
        switch caller {
        case .anonymous: "anonymous"
        case .user(let identity): "user:\(identity.user.id)"
        case .household(let identity): "household:\(identity.household.id)"
        }
    }
}
