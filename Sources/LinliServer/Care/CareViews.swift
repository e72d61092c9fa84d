import Foundation
import LinliCore
import LinliStore

/// A registered person as the care pages show them: where, what they need, who helps, and how
/// long since anyone was in touch (red past `CareRegister.contactOverdueDays`).
struct CarePersonView {
    var id: CareEntryID
    var name: String
    var address: String
    var needs: String?
    var categories: String
    var risk: Tag
    var contact: String
    var contactOverdue: Bool
    var primary: String?
    var backup: String?
    /// "主责" or "备岗" on a helper's own list.
    var role: String?
    var checkIns: [CheckInRow]
    var hasCheckIns: Bool

    init(_ person: PairingPerson, address: String, helperNames: [VolunteerID: String], role: String?, checkIns: [CheckInRow], now: Date, language: Language) {
        let entry = person.entry
        id = entry.id
        name = person.residentName
        self.address = address
        needs = entry.needs.isEmpty ? nil : entry.needs.map { Catalogue.all["care.pairing.skill.\($0)"] != nil ? Catalogue.text("care.pairing.skill.\($0)", language) : $0 }.joined(separator: Catalogue.text("care.register.list_separator", language))
        categories = entry.categories.map { Catalogue.all["care.pairing.category.\($0.rawValue)"] != nil ? Catalogue.text("care.pairing.category.\($0.rawValue)", language) : $0.rawValue }.joined(separator: Catalogue.text("care.register.list_separator", language))
        // The request urgencies' colours: red for critical and high risk, amber for medium.
        let tone = switch entry.risk {
        case .critical, .high: "life_critical"
        case .medium: "urgent"
        case .low: "normal"
        }
        risk = Tag("care.pairing.risk.\(entry.risk.rawValue)", tone: tone, language)
        let days = CareRegister.daysSinceContact(entry.lastContactAt, now: now)
        contact = days.map { Catalogue.text("care.pairing.contact.days", language, ["n": "\($0)"]) } ?? Catalogue.text("care.pairing.contact.never", language)
        contactOverdue = CareRegister.isContactOverdue(entry.lastContactAt, now: now)
        primary = entry.primaryHelperID.flatMap { helperNames[$0] }
        backup = entry.backupHelperID.flatMap { helperNames[$0] }
        self.role = role
        self.checkIns = checkIns
        hasCheckIns = !checkIns.isEmpty
    }
}

/// One check-in in a list: what, when, whether it is done, overdue or still to come, and its
/// tick-off form.
struct CheckInRow {
    var id: CareCheckInID
    var what: String
    var when: String
    var state: Tag
    var done: Bool
    var idempotencyKey: String

    init(_ line: CheckInLine, now: Date, language: Language) {
        id = line.checkIn.id
        what = line.label ?? Catalogue.text("care.plan.kind.\(line.kind.rawValue)", language)
        done = line.checkIn.doneAt != nil
        if let doneAt = line.checkIn.doneAt {
            when = PageTime.dateTime(doneAt, language)
            state = Tag("care.checkin.state.done", tone: "done", language)
        } else {
            when = PageTime.dateTime(line.checkIn.dueAt, language) + " · " + PageTime.span(until: line.checkIn.dueAt, now: now, language)
            state = line.checkIn.dueAt <= now ? Tag("care.checkin.state.overdue", tone: "overdue", language) : Tag("care.checkin.state.due", tone: "new", language)
        }
        idempotencyKey = Tokens.random()
    }
}

extension AppServices {
    /// Every read of the register's people is audited, one entry per person shown.
    func auditCareReads(_ entries: [CareEntry], identity: UserIdentity, view: String, traceID: String?) async throws {
        let now = now()
        try await audit(entries.map {
            AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "care.entry.read", entity: "care_entry", entityID: "\($0.id)", path: $0.path.rawValue, after: view, traceID: traceID)
        })
    }
}
