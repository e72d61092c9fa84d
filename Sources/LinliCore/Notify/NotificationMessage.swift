import Foundation

/// What Linli wants to tell a group or another system: a request was filed,
/// escalated to a new owner, and so on. It is stored in the outbox as JSON and rendered per
/// target only when a delivery is attempted, because DingTalk and Feishu refuse a signature
/// older than an hour and a retry can come much later than that.
public struct NotificationMessage: Sendable, Hashable, Codable {
    public var kind: String
    /// The thing the message is about, e.g. the request id, so a receiver can group messages.
    public var subjectID: String
    public var title: String
    /// Plain text, not Markdown: every renderer keeps it literal.
    public var text: String
    public var link: String?
    /// Phone numbers to @ in the group, so the new owner of an escalated request is pinged on
    /// their phone: a need must reach a named person, not scroll past in the group. Feishu robots
    /// cannot @ by phone.
    public var mentions: [String]
    /// A report such as a daily briefing, as Markdown lines that Linli wrote and escaped, one per
    /// line, without the title or the link: each platform's renderer adds those in its own
    /// dialect. Robots that read Markdown get this instead of `text`; plain receivers get `text`.
    public var markdown: String?

    public init(kind: String, subjectID: String, title: String, text: String, link: String? = nil, mentions: [String] = [], markdown: String? = nil) {
        self.kind = kind
        self.subjectID = subjectID
        self.title = title
        self.text = text
        self.link = link
        self.mentions = mentions
        self.markdown = markdown
    }

    private enum CodingKeys: String, CodingKey {
        case kind, subjectID = "subject_id", title, text, link, mentions, markdown
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(String.self, forKey: .kind),
            subjectID: try container.decode(String.self, forKey: .subjectID),
            title: try container.decode(String.self, forKey: .title),
            text: try container.decode(String.self, forKey: .text),
            link: try container.decodeIfPresent(String.self, forKey: .link),
            mentions: try container.decodeIfPresent([String].self, forKey: .mentions) ?? [],
            markdown: try container.decodeIfPresent(String.self, forKey: .markdown)
        )
    }
}
