import Foundation

/// Where a notification goes: a chat group's robot on one of the three platforms committees used
/// in 2022 (WeCom, DingTalk, Feishu), or any system that takes a signed HTTP POST. Stored as
/// `{"kind": "dingtalk", "url": "…", "secret": "…"}`.
///
/// Any public http(s) host is accepted, not only the platforms' own. Hosts inside the server's
/// network are refused unless the operator allowed them (`WebhookNetworkPolicy`), so staging can
/// still point a target at a local fake receiver.
public enum WebhookTarget: Sendable, Hashable {
    case wecom(url: String)
    /// `secret` is the robot's "加签" secret (SEC…); nil when the group uses keywords or an IP list.
    case dingtalk(url: String, secret: String?)
    /// `secret` is the robot's "签名校验" secret; nil when the group uses keywords or an IP list.
    case feishu(url: String, secret: String?)
    case http(url: String, secret: String)

    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case wecom, dingtalk, feishu, http

        public var catalogueKey: String { "notify.target.\(rawValue)" }
    }

    /// Builds a target from what an admin typed or the database held, refusing what could never
    /// deliver, so a bad target is caught at the form and not as a dead letter hours later.
    /// WeCom robots do not sign, so a secret given for one is dropped.
    public init(kind: String, url: String, secret: String?) throws(WebhookTargetError) {
        guard let known = Kind(rawValue: kind) else { throw WebhookTargetError(.unknownKind) }
        switch known {
        case .wecom: self = .wecom(url: url)
        case .dingtalk: self = .dingtalk(url: url, secret: secret)
        case .feishu: self = .feishu(url: url, secret: secret)
        case .http:
            guard let secret else { throw WebhookTargetError(.secretRequired) }
            self = .http(url: url, secret: secret)
        }
        try validate()
    }

    public var kind: Kind {
        switch self {
        case .wecom: .wecom
        case .dingtalk: .dingtalk
        case .feishu: .feishu
        case .http: .http
        }
    }

    public var url: String {
        switch self {
        case .wecom(let url), .dingtalk(let url, _), .feishu(let url, _), .http(let url, _): url
        }
    }

    public var secret: String? {
        switch self {
        case .wecom: nil
        case .dingtalk(_, let secret), .feishu(_, let secret): secret
        case .http(_, let secret): secret
        }
    }

    public func validate() throws(WebhookTargetError) {
        // Foundation percent-encodes a space instead of refusing it, but in a pasted robot URL a
        // space or line break means the paste went wrong and the token is not what was meant.
        guard !url.contains(where: \.isWhitespace),
              let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty
        else { throw WebhookTargetError(.urlInvalid) }
        // A pasted secret that is only spaces signs every message wrongly; the platform would
        // answer "sign not match" to each one.
        if let secret, secret.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw WebhookTargetError(.secretBlank)
        }
    }
}

extension WebhookTarget: Codable {
    private enum CodingKeys: String, CodingKey { case kind, url, secret }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            kind: try container.decode(String.self, forKey: .kind),
            url: try container.decode(String.self, forKey: .url),
            secret: try container.decodeIfPresent(String.self, forKey: .secret)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(url, forKey: .url)
        try container.encodeIfPresent(secret, forKey: .secret)
    }
}

/// The URL of a group robot carries its access token, and the secret signs for it: neither may
/// reach a log line, so a target describes itself by kind and host only.
extension WebhookTarget: CustomStringConvertible {
    public var description: String {
        "\(kind.rawValue)(\(URLComponents(string: url)?.host ?? "?"))"
    }
}

/// Why a webhook target was refused. A 422 for the admin who typed it, naming the field.
public struct WebhookTargetError: Error, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case unknownKind = "unknown_kind"
        case urlInvalid = "url_invalid"
        case secretRequired = "secret_required"
        case secretBlank = "secret_blank"
        /// The host is neither a dotted quad, a bracketed IPv6 address nor a DNS name.
        case hostUnclear = "host_unclear"
        /// The host is inside the server's own network and the operator did not allow it.
        case hostNotAllowed = "host_not_allowed"

        public var field: String {
            switch self {
            case .unknownKind: "kind"
            case .urlInvalid, .hostUnclear, .hostNotAllowed: "url"
            case .secretRequired, .secretBlank: "secret"
            }
        }
    }

    public var code: Code

    public init(_ code: Code) { self.code = code }

    public var field: String { code.field }
    public var catalogueKey: String { "notify.target_error.\(code.rawValue)" }

    public func message(in language: Language) -> String { Catalogue.text(catalogueKey, language) }
}
