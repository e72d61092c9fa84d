import Foundation

public typealias NoticeID = ID<Notice>

/// An official notice (a test round, water cut, a relief hand-out), published at a place for
/// every household under it. Households confirm they have read it with their code, so a
/// building leader knows at whose door to knock.
public struct Notice: Sendable, Hashable {
    public var id: NoticeID
    public var placeID: PlaceID
    public var title: String
    public var body: String
    public var source: String
    public var publishedAt: Date

    public init(id: NoticeID, placeID: PlaceID, title: String, body: String, source: String, publishedAt: Date) {
        self.id = id
        self.placeID = placeID
        self.title = title
        self.body = body
        self.source = source
        self.publishedAt = publishedAt
    }
}

public enum NoticeRules {
    public static let maximumTitle = 100
    public static let maximumBody = 4_000
}
