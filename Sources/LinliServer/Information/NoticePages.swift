import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Notices in the browser: a household reads the notices covering it and confirms each with one
/// tap; a leader reads them too, with the doors of their place that have not confirmed.
struct NoticePages {
    let services: AppServices

    struct NoticeLine { var id: NoticeID; var href: String; var title: String; var meta: String; var read: String?; var canConfirm: Bool }
    struct ListContent { var intro: String; var notices: [NoticeLine]; var isEmpty: Bool }
    struct DoorRow { var building: String; var room: String; var phone: String }
    struct BuildingLine { var href: String; var name: String; var unread: String }
    struct NoticeContent {
        var id: NoticeID
        var title: String
        var paragraphs: [String]
        var meta: String
        var read: String?
        var canConfirm: Bool
        /// For a leader: the place whose doors are listed, and those doors.
        var doorsHeading: String?
        var readSummary: String?
        var doors: [DoorRow]
        var allRead: Bool
        /// Above a building: the buildings with doors unread, each a link to its doors.
        var buildings: [BuildingLine]
        var hasBuildings: Bool
    }

    struct ConfirmForm: Decodable { var _csrf: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        let notices = NoticeService(services: services)
        router.get("notices") { request, context -> Response in
            let lines: [NoticeLine]
            let intro: String
            switch context.caller {
            case .anonymous: throw AppError.unauthenticated
            case .household(let identity):
                lines = try await notices.notices(for: identity.household).map { Self.line($0.0, readAt: $0.1, household: true, context: context) }
                intro = context.text("notices.page.intro_household")
            case .user(let identity):
                lines = try await notices.notices(for: identity).map { Self.line($0, readAt: nil, household: false, context: context) }
                intro = context.text("notices.page.intro_leader")
            }
            let content = ListContent(intro: intro, notices: lines, isEmpty: lines.isEmpty)
            return try PageView(template: "information/notices", title: context.text("notices.page.title"), content: content, banner: noticeBanner(request, context))
                .response(context)
        }
        router.get("notices/:id") { request, context -> Response in
            let id: NoticeID = try context.parameters.id()
            let content: NoticeContent
            switch context.caller {
            case .anonymous: throw AppError.unauthenticated
            case .household(let identity):
                let stored = try await notices.notice(id, household: identity.household)
                let readAt = try await notices.notices(for: identity.household).first { $0.0.notice.id == id }?.1
                content = Self.page(stored, readAt: readAt, household: true, doors: nil, buildings: [], context: context)
            case .user(let identity):
                let stored = try await notices.notice(id, identity: identity)
                var doors: (Place, [UnreadHousehold], Int)?
                var buildings: [BuildingLine] = []
                // The leader's own place (a building leader's building) unless another is asked for.
                let placeID = try Query(request: request).placeID() ?? identity.grants.scopes(for: .viewDirectory).first?.ids.last
                if let placeID {
                    let place = try await notices.place(placeID, identity: identity)
                    if place.level >= .building {
                        let (unread, read) = try await notices.unread(stored, under: place)
                        doors = (place, unread, read)
                    } else {
                        buildings = try await notices.unreadBuildings(stored, under: place).map { line in
                            BuildingLine(href: "/notices/\(id)?place=\(line.building)", name: line.name,
                                         unread: context.text("notices.page.building_unread", ["count": "\(line.unread)"]))
                        }
                    }
                }
                content = Self.page(stored, readAt: nil, household: false, doors: doors, buildings: buildings, context: context)
            }
            return try PageView(template: "information/notice", title: context.text("notices.page.notice_title"), content: content,
                                breadcrumbs: [Link(href: "/notices", label: context.text("notices.page.title"))], banner: noticeBanner(request, context)).response(context)
        }
        router.post("notices/:id/read") { request, context -> Response in
            let id: NoticeID = try context.parameters.id()
            let identity = try await notices.confirmingHousehold(id, caller: context.caller)
            let form = try await request.decodeForm(as: ConfirmForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            _ = try await notices.confirm(id, household: identity.household)
            return redirect(to: "/notices/\(id)?notice=notice_read")
        }
    }

    static func meta(_ stored: StoredNotice, context: LinliRequestContext) -> String {
        context.text("notices.page.meta", ["source": stored.notice.source, "place": stored.placeName, "time": PageTime.dateTime(stored.notice.publishedAt, context.language)])
    }

    static func readText(_ readAt: Date?, context: LinliRequestContext) -> String? {
        readAt.map { context.text("notices.page.read_at", ["time": PageTime.dateTime($0, context.language)]) }
    }

    static func line(_ stored: StoredNotice, readAt: Date?, household: Bool, context: LinliRequestContext) -> NoticeLine {
        NoticeLine(id: stored.notice.id, href: "/notices/\(stored.notice.id)", title: stored.notice.title, meta: Self.meta(stored, context: context),
                   read: Self.readText(readAt, context: context), canConfirm: household && readAt == nil)
    }

    static func page(_ stored: StoredNotice, readAt: Date?, household: Bool, doors: (Place, [UnreadHousehold], Int)?, buildings: [BuildingLine],
                     context: LinliRequestContext) -> NoticeContent {
        NoticeContent(
            id: stored.notice.id, title: stored.notice.title,
            paragraphs: AnswerPages.paragraphs(stored.notice.body),
            meta: Self.meta(stored, context: context), read: Self.readText(readAt, context: context), canConfirm: household && readAt == nil,
            doorsHeading: doors.map { context.text("notices.page.unread_heading", ["place": $0.0.name, "count": "\($0.1.count)"]) },
            readSummary: doors.map { context.text("notices.page.read_count", ["count": "\($0.2)"]) },
            doors: doors?.1.map { DoorRow(building: $0.building, room: $0.room, phone: $0.phone ?? "") } ?? [],
            allRead: doors.map { $0.1.isEmpty } ?? false, buildings: buildings, hasBuildings: !buildings.isEmpty)
    }
}
