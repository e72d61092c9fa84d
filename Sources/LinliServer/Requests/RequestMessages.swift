import LinliCore
import LinliStore

/// The notifications a request sends to the groups above its household.
enum RequestMessages {
    /// Filed life-critical: the groups above the household hear of it at once, not at the first
    /// missed deadline. In the default language, as group chats are Chinese.
    static func lifeCritical(_ request: HelpRequest) -> NotificationMessage {
        let language = Language.default
        let arguments = ["id": "\(request.id)", "category": Catalogue.text(request.category.catalogueKey, language)]
        return NotificationMessage(
            kind: "request.life_critical", subjectID: "\(request.id)",
            title: Catalogue.text("notify.request.life_critical.title", language, arguments),
            text: Catalogue.text("notify.request.life_critical.text", language, arguments),
            link: "/requests/\(request.id)"
        )
    }

    /// Group chats are Chinese: the message is in the default language.
    static func escalation(_ request: HelpRequest, ownerName: String) -> NotificationMessage {
        let language = Language.default
        let arguments = [
            "id": "\(request.id)",
            "category": Catalogue.text(request.category.catalogueKey, language),
            "urgency": Catalogue.text(request.urgency.catalogueKey, language),
            "owner": ownerName,
        ]
        return NotificationMessage(
            kind: "request.escalated", subjectID: "\(request.id)",
            title: Catalogue.text("notify.request.escalated.title", language, arguments),
            text: Catalogue.text("notify.request.escalated.text", language, arguments),
            link: "/requests/\(request.id)"
        )
    }
}
