import LinliCore

/// One field of a form as the `partials/input`, `partials/textarea` and `partials/select`
/// templates draw it: label, hint, the error beside it, and what the person typed.
struct FormField {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var id: String
    var label: String
    var hint: String?
    var error: String?
    var value: String
    var type: String
    var inputmode: String?
    var autocomplete: String?
    var maxlength: Int?
    var required: Bool
    var rows: Int
    var options: [Option]
    /// The ids of the hint and error, for screen readers: stored, since templates see stored values only.
    var describedBy: String?

    init(_ id: String, label: String, hint: String? = nil, error: String? = nil, value: String? = nil, type: String = "text", inputmode: String? = nil,
         autocomplete: String? = nil, maxlength: Int? = nil, required: Bool = false, rows: Int = 4, options: [Option] = []) {
        self.id = id
        self.label = label
        self.hint = hint
        self.error = error
        self.value = value ?? ""
        self.type = type
        self.inputmode = inputmode
        self.autocomplete = autocomplete
        self.maxlength = maxlength
        self.required = required
        self.rows = rows
        self.options = options
        let described = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }
        describedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }
}

/// A refused form's errors by field, from the `AppError` that refused it.
struct FormErrors {
    private(set) var messages: [FieldMessage] = []

    init() {}

    /// `defaultField` takes an error that names no field of this form.
    init(_ error: AppError?, language: Language, fields: [String], defaultField: String) {
        guard let error else { return }
        let field = error.field.flatMap { fields.contains($0) ? $0 : nil } ?? defaultField
        messages = [FieldMessage(field: field, message: error.message(in: language))]
    }

    func message(for field: String) -> String? { messages.first { $0.field == field }?.message }
}
