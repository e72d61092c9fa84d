import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct RoleView: ResponseCodable {
    var role: RoleKind
    var placeID: PlaceID
    var placePath: String

    init(_ assignment: RoleAssignment) {
        role = assignment.role
        placeID = assignment.placeID
        placePath = assignment.path.rawValue
    }

    enum CodingKeys: String, CodingKey { case role, placeID = "place_id", placePath = "place_path" }
}

struct MeView: ResponseCodable {
    var kind: String
    var userID: UserID?
    var name: String?
    var phone: String?
    var roles: [RoleView]?
    var householdID: PlaceID?

    enum CodingKeys: String, CodingKey { case kind, userID = "user_id", name, phone, roles, householdID = "household_id" }
}

struct TokenView: ResponseCodable {
    var token: String
    var expiresAt: Date
    var me: MeView

    enum CodingKeys: String, CodingKey { case token, expiresAt = "expires_at", me }
}

/// `/api/v1/auth/token`, `/api/v1/household-sessions`, `/api/v1/me`.
struct AccessAPI {
    let services: AppServices
    var access: AccessService { AccessService(services: services) }

    struct LoginBody: Decodable { var phone: String?; var password: String? }
    struct HouseholdBody: Decodable {
        var householdID: String?
        var code: String?
        enum CodingKeys: String, CodingKey { case householdID = "household_id", code }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // Accept the household number as a JSON number or a string ("12345").
            if let number = try? container.decodeIfPresent(Int64.self, forKey: .householdID) {
                householdID = String(number)
            } else {
                householdID = try container.decodeIfPresent(String.self, forKey: .householdID)
            }
            code = try container.decodeIfPresent(String.self, forKey: .code)
        }
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("auth/token") { request, context -> EditedResponse<TokenView> in
            let body = try await request.decodeJSON(as: LoginBody.self, context: context)
            let (user, opened) = try await access.login(phone: body.phone, password: body.password, remoteIP: context.remoteIP, kind: .api)
            let roles = try await services.store.read { db in try await UserRecords.roles(userID: user.id, on: db) }
            return EditedResponse(status: .created, response: TokenView(token: opened.token, expiresAt: opened.session.expiresAt, me: Self.me(user: user, roles: roles)))
        }
        router.delete("auth/token") { _, context -> Response in
            switch context.caller {
            case .user(let identity): try await access.close(tokenHash: identity.tokenHash, actor: context.actor)
            case .household(let identity): try await access.close(tokenHash: identity.tokenHash, actor: context.actor)
            case .anonymous: throw AppError.unauthenticated
            }
            return Response(status: .noContent)
        }
        router.post("household-sessions") { request, context -> EditedResponse<TokenView> in
            let body = try await request.decodeJSON(as: HouseholdBody.self, context: context)
            let (household, opened) = try await access.openHousehold(householdID: body.householdID, code: body.code, remoteIP: context.remoteIP)
            return EditedResponse(status: .created, response: TokenView(token: opened.token, expiresAt: opened.session.expiresAt, me: MeView(kind: "household", householdID: household.id)))
        }
        router.get("me") { _, context -> MeView in
            switch context.caller {
            case .user(let identity): return Self.me(user: identity.user, roles: identity.grants.roles)
            case .household(let identity): return MeView(kind: "household", householdID: identity.household.id)
            case .anonymous: throw AppError.unauthenticated
            }
        }
    }

    static func me(user: User, roles: [RoleAssignment]) -> MeView {
        MeView(kind: "user", userID: user.id, name: user.name, phone: user.phone, roles: roles.map(RoleView.init))
    }
}
