import Foundation

/// The care register's shared rules: what an entry may hold, and when a person has gone too long
/// without anyone reaching them. Pages, the API, imports and pairing all read them from here.
public enum CareRegister {
    /// A person nobody has reached for this many days is shown in red on every list: in a
    /// lockdown three days without a call is long enough for an old man living alone to fall and
    /// lie there unnoticed.
    public static let contactOverdueDays = 3

    /// Skills every helper list knows. Others may be written (a committee knows its own needs,
    /// "轮椅搬运"), within `maximumNeeds` and `maximumNeedLength`.
    public static let knownNeeds = ["medical", "sign_language", "dialect", "driver"]
    public static let maximumNeeds = 8
    public static let maximumNeedLength = 20
    public static let maximumDisabilityKindLength = 20
    public static let maximumConsentNoteLength = 200
    public static let maximumNoteLength = 500

    /// Whole days since the last contact, or nil if nobody has reached the person yet.
    public static func daysSinceContact(_ lastContact: Date?, now: Date) -> Int? {
        guard let lastContact else { return nil }
        let seconds = max(0, now.timeIntervalSince(lastContact))
        return Int(min(seconds / 86_400, 100_000).rounded(.down))
    }

    /// Never reached counts as overdue: someone registered and never called is the person most
    /// likely to be forgotten.
    public static func isContactOverdue(_ lastContact: Date?, now: Date, afterDays days: Int = contactOverdueDays) -> Bool {
        guard let elapsed = daysSinceContact(lastContact, now: now) else { return true }
        return elapsed >= days
    }
}

/// What a worker writes about a person, before it is stored: the form, the API body and an
/// imported row all become one of these and pass the same checks.
public struct CareEntryDraft: Sendable, Hashable, Codable {
    public var categories: [CareCategory]
    public var disabilityKind: String?
    public var needs: [String]
    public var risk: CareRisk
    public var source: CareSource
    public var consentNote: String?
    public var note: String?

    public init(categories: [CareCategory], disabilityKind: String? = nil, needs: [String] = [], risk: CareRisk, source: CareSource, consentNote: String? = nil, note: String? = nil) {
        self.categories = categories
        self.disabilityKind = disabilityKind
        self.needs = needs
        self.risk = risk
        self.source = source
        self.consentNote = consentNote
        self.note = note
    }

    public init(_ entry: CareEntry) {
        self.init(categories: entry.categories, disabilityKind: entry.disabilityKind, needs: entry.needs, risk: entry.risk, source: entry.source, consentNote: entry.consentNote, note: entry.note)
    }

    /// The draft as stored: texts trimmed (empty ones become nil), categories once each in the
    /// register's order, needs once each. Throws the first rule broken, naming its field.
    public func validated() throws(CareRuleError) -> CareEntryDraft {
        var draft = self
        draft.categories = CareCategory.allCases.filter(categories.contains)
        guard !draft.categories.isEmpty else { throw CareRuleError("categories", "care.register.error.no_category") }
        draft.disabilityKind = Self.cleaned(disabilityKind)
        if draft.categories.contains(.disabled) {
            guard let kind = draft.disabilityKind else { throw CareRuleError("disability_kind", "care.register.error.disability_kind_required") }
            try Self.check(kind, field: "disability_kind", max: CareRegister.maximumDisabilityKindLength)
        } else if draft.disabilityKind != nil {
            throw CareRuleError("disability_kind", "care.register.error.disability_kind_without_disabled")
        }
        var needs: [String] = []
        for need in self.needs {
            guard let need = Self.cleaned(need) else { continue }
            try Self.check(need, field: "needs", max: CareRegister.maximumNeedLength)
            // Stored as a comma list: a comma inside one need would split it in two.
            guard !need.contains(where: { ",，、;；".contains($0) }) else { throw CareRuleError("needs", "care.register.error.need_separator", ["value": need]) }
            if !needs.contains(need) { needs.append(need) }
        }
        guard needs.count <= CareRegister.maximumNeeds else { throw CareRuleError("needs", "care.register.error.too_many_needs", ["max": "\(CareRegister.maximumNeeds)"]) }
        draft.needs = needs
        draft.consentNote = Self.cleaned(consentNote)
        if let consent = draft.consentNote { try Self.check(consent, field: "consent_note", max: CareRegister.maximumConsentNoteLength) }
        draft.note = Self.cleaned(note)
        if let note = draft.note { try Self.check(note, field: "note", max: CareRegister.maximumNoteLength, lines: true) }
        return draft
    }

    /// Writes the draft over `entry`'s own fields, leaving who, where and the helpers as they are.
    public func applied(to entry: CareEntry) -> CareEntry {
        var entry = entry
        entry.categories = categories
        entry.disabilityKind = disabilityKind
        entry.needs = needs
        entry.risk = risk
        entry.source = source
        entry.consentNote = consentNote
        entry.note = note
        return entry
    }

    static func cleaned(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    private static func check(_ text: String, field: String, max: Int, lines: Bool = false) throws(CareRuleError) {
        guard text.count <= max else { throw CareRuleError(field, "error.field.too_long", ["max": "\(max)"]) }
        let allowed: Set<Unicode.Scalar> = lines ? ["\n", "\r", "\t"] : []
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) else {
            throw CareRuleError(field, "error.field.invalid")
        }
    }
}

/// A broken rule of the register: the field it is about and the catalogue text that says why.
public struct CareRuleError: Error, Sendable, Hashable {
    public var field: String
    public var key: String
    public var arguments: [String: String]

    public init(_ field: String, _ key: String, _ arguments: [String: String] = [:]) {
        self.field = field
        self.key = key
        self.arguments = arguments
    }
}

extension CareCategory {
    public var catalogueKey: String { "care.register.category.\(rawValue)" }
    /// Treatments that cannot wait: a request from this person serving them is life-critical.
    public var isCriticalTreatment: Bool { [.dialysis, .chemotherapy, .otherCriticalTreatment].contains(self) }
}

extension CareRisk {
    public var catalogueKey: String { "care.register.risk.\(rawValue)" }
}

extension CareSource {
    public var catalogueKey: String { "care.register.source.\(rawValue)" }
}
