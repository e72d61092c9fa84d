import LinliCore
import LinliStore

/// The notifications care sends to the groups above a compound. A helper is reached by an @ of
/// their phone in the group (the phone they log in with, when they have a Linli account, is the
/// same: a user is the volunteer with their phone). Group chats are Chinese: the default language.
enum CareMessages {
    static func pairingChanged(helper: Volunteer, gained: Int, lost: Int, compound: Place) -> NotificationMessage {
        let language = Language.default
        let arguments = ["name": helper.name, "gained": "\(gained)", "lost": "\(lost)", "compound": compound.name]
        return NotificationMessage(
            kind: "care.pairing_changed", subjectID: "volunteer:\(helper.id)",
            title: Catalogue.text("care.pairing.notify.changed.title", language, arguments),
            text: Catalogue.text("care.pairing.notify.changed.text", language, arguments),
            link: "/care/mine", mentions: [helper.phone]
        )
    }

    /// A check-in not ticked off: to the primary at the due time, the backup later, then the
    /// compound's leads. The group reads the address and the item, never the person's name or needs.
    static func checkInOverdue(_ line: CheckInLine, address: String, audience: CareCheckInEscalation.Audience, mentions: [String]) -> NotificationMessage {
        let language = Language.default
        let arguments = [
            "address": address,
            "item": line.label ?? Catalogue.text("care.plan.kind.\(line.kind.rawValue)", language),
            "due": PageTime.dateTime(line.checkIn.dueAt, language),
        ]
        return NotificationMessage(
            kind: "care.checkin_\(audience.rawValue)", subjectID: "checkin:\(line.checkIn.id)",
            title: Catalogue.text("care.checkin.notify.\(audience.rawValue).title", language, arguments),
            text: Catalogue.text("care.checkin.notify.\(audience.rawValue).text", language, arguments),
            link: audience == .compound ? "/care" : "/care/mine", mentions: mentions
        )
    }
}
