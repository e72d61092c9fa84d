/// Why a register row (or the whole file) cannot be imported as it is.
public enum RegisterIssueReason: String, Sendable, Hashable, Codable, CaseIterable {
    case missingValue = "missing_value"
    case invalidPhone = "invalid_phone"
    case invalidBirthYear = "invalid_birth_year"
    case invalidGender = "invalid_gender"
    case tooLong = "too_long"
    /// The same name twice in one flat: almost always a row pasted twice.
    case duplicatePerson = "duplicate_person"
    case missingHeader = "missing_header"
    case emptyFile = "empty_file"

    public var catalogueKey: String { "register.issue.\(rawValue)" }
}

/// A problem with one row of an uploaded register, shown to the committee worker next to the
/// spreadsheet row it concerns so they can fix the file and upload it again.
public struct RegisterIssue: Sendable, Hashable, Codable {
    /// The 1-based spreadsheet row; 0 when the issue concerns the file as a whole.
    public var row: Int
    public var field: RegisterField?
    public var reason: RegisterIssueReason
    /// The offending cell as typed (shortened if very long), when there is one.
    public var value: String?

    public init(row: Int, field: RegisterField?, reason: RegisterIssueReason, value: String? = nil) {
        self.row = row
        self.field = field
        self.reason = reason
        self.value = value
    }

    public func message(in language: Language) -> String {
        Catalogue.text(reason.catalogueKey, language, [
            "row": String(row),
            "field": field.map { Catalogue.text($0.catalogueKey, language) } ?? "",
            "value": value ?? "",
        ])
    }
}

/// Something in the header the import ignores; the rows are still read.
public struct RegisterWarning: Sendable, Hashable, Codable {
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// A column the register does not know ("序号", "民族"): its cells are not imported.
        case unknownHeader = "unknown_header"
        /// A second column for a field already read from an earlier column: it is not imported.
        case duplicateHeader = "duplicate_header"

        public var catalogueKey: String { "register.warning.\(rawValue)" }
    }

    /// The 1-based column number (A is 1).
    public var column: Int
    public var header: String
    public var reason: Reason

    public init(column: Int, header: String, reason: Reason) {
        self.column = column
        self.header = header
        self.reason = reason
    }

    public func message(in language: Language) -> String {
        Catalogue.text(reason.catalogueKey, language, [
            "column": CellReference(column: column - 1, row: 0).columnName,
            "header": header,
        ])
    }
}
