import Foundation

/// Why one delivery attempt did not land, kept on the outbox row and shown to admins beside a
/// dead letter. `detail` is the receiver's own words (HTTP status, platform code and message),
/// left untranslated because that is what a platform's documentation and support will ask for.
public struct DeliveryFailure: Sendable, Hashable, Codable {
    public enum Reason: String, Sendable, Hashable, CaseIterable, Codable {
        /// No HTTP answer: connection refused, DNS, TLS or timeout.
        case noResponse = "no_response"
        /// HTTP 429 or the platform's "send too fast".
        case throttled
        /// HTTP 5xx or 408, or the platform's "system busy".
        case receiverUnavailable = "receiver_unavailable"
        /// The receiver said no: wrong URL, token, secret, keyword or IP list, or a bad body.
        case rejected
        /// An answer no receiver of this kind gives, such as a redirect or an HTML page.
        case unexpectedReply = "unexpected_reply"
        /// Not sent: the target's host is, or resolved to, an address inside the server's network.
        case addressRefused = "address_refused"
    }

    public var reason: Reason
    public var detail: String

    public init(_ reason: Reason, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var catalogueKey: String { "notify.failure.\(reason.rawValue)" }

    public func message(in language: Language) -> String {
        Catalogue.text(catalogueKey, language, ["detail": detail])
    }
}

/// What one attempt came to, before the retry schedule is consulted (`DeliveryPolicy.decide`).
public enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    /// Trying the same request again later may work.
    case retry(DeliveryFailure)
    /// It never will: an admin must fix the target.
    case deadLetter(DeliveryFailure)

    /// For an attempt that got no HTTP answer at all.
    public static func noResponse(_ detail: String) -> DeliveryOutcome {
        .retry(DeliveryFailure(.noResponse, detail: detail))
    }

    /// For an attempt not made because the host is inside the server's network. Final: an admin
    /// must change the target (or the operator allow the network).
    public static func addressRefused(_ detail: String) -> DeliveryOutcome {
        .deadLetter(DeliveryFailure(.addressRefused, detail: detail))
    }

    /// Classifies the receiver's answer. The group robots answer HTTP 200 to most errors and put
    /// the verdict in the body (`errcode` on WeCom and DingTalk, `code` on Feishu), so a 2xx from
    /// them counts only with code 0. A plain HTTP receiver is judged by its status alone.
    public static func classify(target: WebhookTarget, status: Int, body: Data) -> DeliveryOutcome {
        let http = "HTTP \(status)"
        switch status {
        case 429: return .retry(DeliveryFailure(.throttled, detail: http))
        case 408, 500...599: return .retry(DeliveryFailure(.receiverUnavailable, detail: http))
        default: break
        }
        guard target.kind != .http else {
            switch status {
            case 200...299: return .delivered
            case 400...499: return .deadLetter(DeliveryFailure(.rejected, detail: http))
            default: return .deadLetter(DeliveryFailure(.unexpectedReply, detail: http))
            }
        }
        let reply = RobotReply(body)
        if let reply, reply.code != 0 {
            let detail = "\(http), \(reply.codeName) \(reply.code): \(reply.message)"
            return switch transientRobotError(target.kind, reply) {
            case .some(let reason): .retry(DeliveryFailure(reason, detail: detail))
            case .none: .deadLetter(DeliveryFailure(.rejected, detail: detail))
            }
        }
        switch status {
        case 200...299 where reply != nil: return .delivered
        case 400...499: return .deadLetter(DeliveryFailure(.rejected, detail: http))
        default: return .deadLetter(DeliveryFailure(.unexpectedReply, detail: http))
        }
    }

    /// The documented error codes that mean "not now" rather than "never". Every other non-zero
    /// code (sign not match, bad token, keyword missing, robot removed, bad body) is final: the
    /// same request would be refused again.
    private static func transientRobotError(_ kind: WebhookTarget.Kind, _ reply: RobotReply) -> DeliveryFailure.Reason? {
        switch (kind, reply.code) {
        case (.wecom, -1), (.dingtalk, -1): .receiverUnavailable  // 系统繁忙
        case (.wecom, 45009), (.wecom, 45033): .throttled  // API call / concurrency limit: 20 messages a minute
        case (.dingtalk, 130101): .throttled  // send too fast: 20 messages a minute
        case (.dingtalk, 410100): .throttled  // over the limit, throttled for 10 minutes
        case (.feishu, 11232): .throttled  // frequency limited: 100 a minute, 5 a second
        // Feishu documents 9499 as "Bad Request" (a malformed body, final), but also answers it
        // with "too many request" when throttling; only the message tells them apart.
        case (.feishu, 9499) where reply.message.lowercased().contains("too many request"): .throttled
        default: nil
        }
    }
}

/// The verdict a group robot puts in its answer: `{"errcode": 0, "errmsg": "ok"}` from WeCom and
/// DingTalk, `{"code": 0, "msg": "success"}` from Feishu, which older deployments still send as
/// `{"StatusCode": 0, "StatusMessage": "success"}`.
private struct RobotReply: Decodable {
    var code: Int
    var codeName: String
    var message: String

    private enum CodingKeys: String, CodingKey {
        case errcode, errmsg, code, msg, statusCode = "StatusCode", statusMessage = "StatusMessage"
    }

    init?(_ body: Data) {
        guard let reply = try? JSONDecoder().decode(RobotReply.self, from: body) else { return nil }
        self = reply
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let pairs: [(CodingKeys, CodingKeys)] = [(.errcode, .errmsg), (.code, .msg), (.statusCode, .statusMessage)]
        for (codeKey, messageKey) in pairs {
            if let code = try? container.decodeIfPresent(Int.self, forKey: codeKey) {
                self.code = code
                self.codeName = codeKey.stringValue
                // A platform's message can be long; the outbox row keeps a readable line.
                self.message = String(((try? container.decodeIfPresent(String.self, forKey: messageKey)) ?? "").prefix(200))
                return
            }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no errcode, code or StatusCode"))
    }
}
