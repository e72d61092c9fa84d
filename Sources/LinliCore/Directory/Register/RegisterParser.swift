/// What an uploaded register holds: the residents that can be imported, and for every other row
/// the reasons it cannot. Nothing is dropped silently: a row lost without a word is a household
/// nobody checks on.
public struct RegisterParseResult: Sendable, Hashable {
    public var rows: [RegisterRow]
    public var issues: [RegisterIssue]
    public var warnings: [RegisterWarning]
    /// The fields the file has a column for. An import must not touch the others.
    public var presentFields: Set<RegisterField>

    public init(rows: [RegisterRow], issues: [RegisterIssue], warnings: [RegisterWarning], presentFields: Set<RegisterField>) {
        self.rows = rows
        self.issues = issues
        self.warnings = warnings
        self.presentFields = presentFields
    }
}

/// Reads a household register (户籍底册) from the rows of its spreadsheet.
public enum RegisterParser {
    /// How far down a header may sit: registers often open with a title row or two
    /// ("XX居委会户籍底册", a date) above the real header.
    static let headerSearchDepth = 10

    /// A row with any issue is not imported, so a half-wrong resident never reaches the directory;
    /// the worker fixes the file and uploads it again (imports are idempotent). A row is blank,
    /// and skipped, when every cell under a recognised header is empty: templates often number
    /// hundreds of empty lines in a "序号" column.
    public static func parse(rows: [[String]], currentYear: Int) -> RegisterParseResult {
        guard let firstFilledIndex = rows.firstIndex(where: { !isBlank($0) }) else {
            return RegisterParseResult(rows: [], issues: [RegisterIssue(row: 0, field: nil, reason: .emptyFile)], warnings: [], presentFields: [])
        }
        let headerRowIndex = rows.indices.prefix(headerSearchDepth).first { index in
            RegisterField.required.isSubset(of: Set(rows[index].compactMap(RegisterField.init(header:))))
        } ?? firstFilledIndex
        let header = Header(rows[headerRowIndex])
        let headerRow = headerRowIndex + 1
        let missing = RegisterField.allCases.filter { RegisterField.required.contains($0) && header.columns[$0] == nil }
        guard missing.isEmpty else {
            let issues = missing.map { RegisterIssue(row: headerRow, field: $0, reason: .missingHeader) }
            return RegisterParseResult(rows: [], issues: issues, warnings: header.warnings, presentFields: Set(header.columns.keys))
        }

        var parsedRows: [RegisterRow] = []
        var issues: [RegisterIssue] = []
        var seenPeople: Set<PersonKey> = []
        for index in rows.indices where index > headerRowIndex {
            let cells = header.cells(of: rows[index])
            guard cells.values.contains(where: { !$0.isEmpty }) else { continue }
            switch read(cells, sourceRow: index + 1, currentYear: currentYear) {
            case .failure(let rowIssues):
                issues += rowIssues.issues
            case .success(let row):
                if seenPeople.insert(row.personKey).inserted {
                    parsedRows.append(row)
                } else {
                    issues.append(RegisterIssue(row: row.sourceRow, field: .name, reason: .duplicatePerson, value: row.name))
                }
            }
        }
        if parsedRows.isEmpty && issues.isEmpty {
            issues.append(RegisterIssue(row: 0, field: nil, reason: .emptyFile))
        }
        return RegisterParseResult(rows: parsedRows, issues: issues, warnings: header.warnings, presentFields: Set(header.columns.keys))
    }

    private static func isBlank(_ row: [String]) -> Bool {
        row.allSatisfy { RegisterValue.trimmed($0).isEmpty }
    }

    /// Which column holds which field.
    private struct Header {
        var columns: [RegisterField: Int] = [:]
        var warnings: [RegisterWarning] = []

        init(_ cells: [String]) {
            for (column, cell) in cells.enumerated() {
                let text = RegisterValue.trimmed(cell)
                guard !text.isEmpty else { continue }
                guard let field = RegisterField(header: text) else {
                    warnings.append(RegisterWarning(column: column + 1, header: text, reason: .unknownHeader))
                    continue
                }
                if columns[field] == nil {
                    columns[field] = column
                } else {
                    warnings.append(RegisterWarning(column: column + 1, header: text, reason: .duplicateHeader))
                }
            }
        }

        /// The trimmed cell of each present field; a short row's missing cells are empty.
        func cells(of row: [String]) -> [RegisterField: String] {
            columns.mapValues { column in column < row.count ? RegisterValue.trimmed(row[column]) : "" }
        }
    }

    private struct RowIssues: Error {
        var issues: [RegisterIssue]
    }

    private static func read(_ cells: [RegisterField: String], sourceRow: Int, currentYear: Int) -> Result<RegisterRow, RowIssues> {
        var issues: [RegisterIssue] = []
        func report(_ field: RegisterField, _ reason: RegisterIssueReason, _ value: String?) {
            issues.append(RegisterIssue(row: sourceRow, field: field, reason: reason, value: value.map(shortened)))
        }
        /// A label or free text: required fields must be present, and no value may be too long.
        func text(_ field: RegisterField, _ normalise: (String) -> String) -> String? {
            let cell = cells[field] ?? ""
            guard !cell.isEmpty else {
                if RegisterField.required.contains(field) { report(field, .missingValue, nil) }
                return nil
            }
            let value = normalise(cell)
            if value.count > field.maximumLength { report(field, .tooLong, cell) }
            return value
        }
        /// A value with a format; an empty cell is simply unknown.
        func formatted<Value>(_ field: RegisterField, _ reason: RegisterIssueReason, _ parse: (String) -> Value?) -> Value? {
            guard let cell = cells[field], !cell.isEmpty else { return nil }
            guard let value = parse(cell) else {
                report(field, reason, cell)
                return nil
            }
            return value
        }

        let compound = text(.compound, RegisterValue.collapsingSpaces)
        let building = text(.building, RegisterValue.building)
        let room = text(.room, RegisterValue.room)
        let name = text(.name, RegisterValue.name)
        let gender = formatted(.gender, .invalidGender, RegisterValue.gender)
        let phone = formatted(.phone, .invalidPhone, RegisterValue.phone)
        let birthYear = formatted(.birthYear, .invalidBirthYear) { RegisterValue.birthYear($0, currentYear: currentYear) }
        let note = text(.note, { $0 })
        let healthNote = text(.healthNote, { $0 })
        let disabilityNote = text(.disabilityNote, { $0 })

        guard issues.isEmpty, let building, let room, let name else { return .failure(RowIssues(issues: issues)) }
        return .success(RegisterRow(
            compound: compound, building: building, room: room, name: name, gender: gender, phone: phone,
            birthYear: birthYear, note: note, healthNote: healthNote, disabilityNote: disabilityNote, sourceRow: sourceRow
        ))
    }

    /// Issue values are shown on a page; a pasted essay is cut to a readable length.
    private static func shortened(_ value: String) -> String {
        value.count > 60 ? value.prefix(60) + "…" : value
    }
}
