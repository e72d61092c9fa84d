/// The register as spreadsheet rows, in the layout `RegisterParser` reads back.
public enum RegisterExport {
    public static let columns: [RegisterField] = RegisterField.allCases

    /// A Chinese header row, then one row per resident. Masked phones are for printed lists and
    /// rosters handed to volunteers; an unmasked export is a full register and reads back as is.
    /// Without `includeSensitive` the health and disability columns are left out altogether.
    public static func rows(_ residents: [RegisterRow], maskPhones: Bool, includeSensitive: Bool) -> [[String]] {
        let fields = includeSensitive ? columns : columns.filter { !$0.isSensitive }
        let header = fields.map(\.chineseHeader)
        let body = residents.map { resident in
            fields.map { field in
                let text = resident.text(of: field)
                return field == .phone && maskPhones ? PhoneMask.mask(text) : text
            }
        }
        return [header] + body
    }
}
