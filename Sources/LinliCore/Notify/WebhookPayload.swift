import Foundation

/// One HTTP POST, ready to send: the edge that owns the network only has to send it.
public struct RenderedWebhook: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: Data
}

/// HMAC-SHA256 of `message` under `key`. Injected so the core needs no crypto library; the server
/// passes swift-crypto's, tests pass a known-answer one.
public typealias HMACSHA256 = (_ key: Data, _ message: Data) -> Data

/// Renders a message in the documented format of each platform's group robot webhook. Bodies are
/// JSON with sorted keys, so the same message and time always give the same bytes.
///
/// - WeCom (企业微信群机器人): `text`, not `markdown`. The message is plain text, which Markdown
///   would reinterpret, and only `text` can @ members by phone (`mentioned_mobile_list`). The
///   content is cut to WeCom's 2,048-byte limit, keeping the title and the link. A message with
///   Markdown lines (a briefing) goes as `markdown`, cut to WeCom's 4,096 bytes the same way.
/// - DingTalk (钉钉自定义机器人): `markdown`, whose `title` is what the chat list and the phone's
///   notification show. Markdown characters in the message are escaped so a resident's words
///   cannot turn into a link. Mentions go in `at.atMobiles` and as `@phone` in the text, which
///   DingTalk requires; it masks the number of anyone not in the group. With a secret, the URL
///   gets `timestamp` (ms) and `sign` = Base64(HMAC-SHA256(secret, "timestamp\nsecret")).
/// - Feishu (飞书自定义机器人): `post` (rich text), whose `title` is shown bold and whose `a` tag
///   makes the link clickable, while `text` tags stay literal. Feishu robots can only @ by open_id,
///   so mentions are not rendered. A message with Markdown lines goes as an `interactive` card:
///   the title in its header, the lines and the link in one `markdown` element. With a secret,
///   the body gets `timestamp` (s) and
///   `sign` = Base64(HMAC-SHA256(key: "timestamp\nsecret", message: empty)).
/// - Plain HTTP: Linli's own JSON (`PlainBody`), signed in the headers; the receiver's recipe is
///   on `render`.
public enum WebhookPayload {
    /// WeCom refuses text content over 2,048 bytes of UTF-8.
    static let wecomTextLimit = 2048
    /// And Markdown content over 4,096 bytes.
    static let wecomMarkdownLimit = 4096

    /// Renders `message` for `target` as of `timestamp`, the moment of this attempt: DingTalk and
    /// Feishu refuse a signature more than an hour old, so every retry renders afresh.
    ///
    /// A plain HTTP receiver verifies a delivery like this: take `X-Linli-Timestamp` (Unix
    /// seconds) and the raw body bytes; compute HMAC-SHA256 with the shared secret as key over
    /// the bytes of `"<timestamp>."` followed by the body; hex-encode it in lowercase; compare it
    /// in constant time with `X-Linli-Signature` minus its `sha256=` prefix; refuse a timestamp
    /// far from its own clock, which stops a captured request from being replayed.
    public static func render(_ message: NotificationMessage, for target: WebhookTarget, timestamp: Date,
                              sign: HMACSHA256) -> RenderedWebhook {
        let seconds = timestamp.representableSecondsSince1970
        let json = [("Content-Type", "application/json")]
        switch target {
        case .wecom(let url):
            if let markdown = message.markdown {
                return RenderedWebhook(url: url, headers: json, body: encode(wecomMarkdownBody(message, markdown: markdown)))
            }
            return RenderedWebhook(url: url, headers: json, body: encode(wecomBody(message)))

        case .dingtalk(let url, let secret):
            guard let secret else { return RenderedWebhook(url: url, headers: json, body: encode(dingtalkBody(message))) }
            let millis = Int64(timestamp.clampedToRepresentable.timeIntervalSince1970 * 1000)
            let signature = sign(Data(secret.utf8), Data("\(millis)\n\(secret)".utf8)).base64EncodedString()
            let separator = url.contains("?") ? "&" : "?"
            let signed = "\(url)\(separator)timestamp=\(millis)&sign=\(percentEncoded(signature))"
            return RenderedWebhook(url: signed, headers: json, body: encode(dingtalkBody(message)))

        case .feishu(let url, let secret):
            let signature = secret.map { secret in
                (timestamp: String(seconds), sign: sign(Data("\(seconds)\n\(secret)".utf8), Data()).base64EncodedString())
            }
            if let markdown = message.markdown {
                return RenderedWebhook(url: url, headers: json, body: encode(feishuCard(message, markdown: markdown, signature: signature)))
            }
            return RenderedWebhook(url: url, headers: json, body: encode(feishuBody(message, signature: signature)))

        case .http(let url, let secret):
            let body = encode(PlainBody(message: message, sentAt: Date(timeIntervalSince1970: TimeInterval(seconds))))
            let signature = sign(Data(secret.utf8), Data("\(seconds).".utf8) + body)
            let headers = json + [("X-Linli-Timestamp", String(seconds)), ("X-Linli-Signature", "sha256=\(hex(signature))")]
            return RenderedWebhook(url: url, headers: headers, body: body)
        }
    }

    // MARK: WeCom

    private struct WecomText: Encodable {
        struct Text: Encodable {
            var content: String
            var mentionedMobileList: [String]?

            enum CodingKeys: String, CodingKey { case content, mentionedMobileList = "mentioned_mobile_list" }
        }

        let msgtype = "text"
        var text: Text
    }

    private static func wecomBody(_ message: NotificationMessage) -> WecomText {
        let link = message.link.map { "\n\($0)" } ?? ""
        let frame = "\(message.title)\n" + link
        let room = wecomTextLimit - frame.utf8.count
        let text = truncated(message.text, toUTF8Bytes: room)
        let content = "\(message.title)\n\(text)\(link)"
        return WecomText(text: .init(content: content, mentionedMobileList: message.mentions.isEmpty ? nil : message.mentions))
    }

    private struct WecomMarkdown: Encodable {
        struct Markdown: Encodable { var content: String }

        let msgtype = "markdown"
        var markdown: Markdown
    }

    private static func wecomMarkdownBody(_ message: NotificationMessage, markdown: String) -> WecomMarkdown {
        let heading = "### \(markdownEscaped(message.title))\n"
        let link = message.link.map { "\n[\(markdownEscaped($0))](\($0))" } ?? ""
        let lines = truncated(markdown, toUTF8Bytes: wecomMarkdownLimit - heading.utf8.count - link.utf8.count)
        return WecomMarkdown(markdown: .init(content: heading + lines + link))
    }

    /// Cuts at a character boundary, so no Chinese character is split into invalid UTF-8.
    static func truncated(_ text: String, toUTF8Bytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let ellipsis = "…"
        var kept = ""
        var used = ellipsis.utf8.count
        for character in text {
            let size = String(character).utf8.count
            if used + size > limit { break }
            kept.append(character)
            used += size
        }
        return limit >= ellipsis.utf8.count ? kept + ellipsis : ""
    }

    // MARK: DingTalk

    private struct DingtalkMarkdown: Encodable {
        struct Markdown: Encodable {
            var title: String
            var text: String
        }

        struct At: Encodable {
            var atMobiles: [String]
            var isAtAll = false
        }

        let msgtype = "markdown"
        var markdown: Markdown
        var at: At
    }

    private static func dingtalkBody(_ message: NotificationMessage) -> DingtalkMarkdown {
        var blocks = ["#### \(markdownEscaped(message.title))"]
        // DingTalk's Markdown joins single line breaks into one line; a blank line keeps them apart.
        if let markdown = message.markdown {
            blocks += markdown.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        } else {
            blocks += message.text.split(separator: "\n", omittingEmptySubsequences: true).map { markdownEscaped(String($0)) }
        }
        if let link = message.link { blocks.append("[\(markdownEscaped(link))](\(link))") }
        if !message.mentions.isEmpty { blocks.append(message.mentions.map { "@\($0)" }.joined(separator: " ")) }
        return DingtalkMarkdown(markdown: .init(title: message.title, text: blocks.joined(separator: "\n\n")),
                                at: .init(atMobiles: message.mentions))
    }

    /// Backslash-escapes the characters that start links, emphasis and code, so text that a
    /// resident typed is shown as typed.
    static func markdownEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\[]*_`".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    // MARK: Feishu

    private struct FeishuPost: Encodable {
        struct Content: Encodable { var post: Post }
        struct Post: Encodable {
            // Feishu needs at least one language; with only zh_cn, every reader sees it.
            var zhCN: Body

            enum CodingKeys: String, CodingKey { case zhCN = "zh_cn" }
        }

        struct Body: Encodable {
            var title: String
            var content: [[Element]]
        }

        struct Element: Encodable {
            var tag: String
            var text: String
            var href: String?
        }

        let msgType = "post"
        var content: Content
        var timestamp: String?
        var sign: String?

        enum CodingKeys: String, CodingKey { case msgType = "msg_type", content, timestamp, sign }
    }

    private static func feishuBody(_ message: NotificationMessage, signature: (timestamp: String, sign: String)?) -> FeishuPost {
        var paragraphs = [[FeishuPost.Element(tag: "text", text: message.text)]]
        if let link = message.link { paragraphs.append([FeishuPost.Element(tag: "a", text: link, href: link)]) }
        let body = FeishuPost.Body(title: message.title, content: paragraphs)
        return FeishuPost(content: .init(post: .init(zhCN: body)), timestamp: signature?.timestamp, sign: signature?.sign)
    }

    private struct FeishuCard: Encodable {
        struct Card: Encodable {
            var header: Header
            var elements: [Element]
        }

        struct Header: Encodable {
            var title: Text
        }

        struct Text: Encodable {
            let tag = "plain_text"
            var content: String
        }

        struct Element: Encodable {
            let tag = "markdown"
            var content: String
        }

        let msgType = "interactive"
        var card: Card
        var timestamp: String?
        var sign: String?

        enum CodingKeys: String, CodingKey { case msgType = "msg_type", card, timestamp, sign }
    }

    private static func feishuCard(_ message: NotificationMessage, markdown: String, signature: (timestamp: String, sign: String)?) -> FeishuCard {
        let link = message.link.map { "\n[\(markdownEscaped($0))](\($0))" } ?? ""
        let card = FeishuCard.Card(header: .init(title: .init(content: message.title)), elements: [.init(content: markdown + link)])
        return FeishuCard(card: card, timestamp: signature?.timestamp, sign: signature?.sign)
    }

    // MARK: Plain HTTP

    /// `{"kind", "subject_id", "title", "text", "link", "sent_at"}`; `link` is null when absent
    /// so every body has the same keys.
    private struct PlainBody: Encodable {
        var message: NotificationMessage
        var sentAt: Date

        enum CodingKeys: String, CodingKey { case kind, subjectID = "subject_id", title, text, link, sentAt = "sent_at" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message.kind, forKey: .kind)
            try container.encode(message.subjectID, forKey: .subjectID)
            try container.encode(message.title, forKey: .title)
            try container.encode(message.text, forKey: .text)
            try container.encode(message.link, forKey: .link)
            try container.encode(sentAt.formatted(.iso8601), forKey: .sentAt)
        }
    }

    // MARK: Encoding

    private static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, arrays and optionals of strings always encode; a failure here is a bug.
        guard let data = try? encoder.encode(value) else { preconditionFailure("a webhook body failed to encode") }
        return data
    }

    /// Base64 has `+`, `/` and `=`, which mean something else in a query string.
    private static func percentEncoded(_ value: String) -> String {
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    private static func hex(_ data: Data) -> String {
        data.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
