import Testing
@testable import LinliCore

@Suite("Excel values as displayed text")
struct ExcelValueTextTests {
    @Test("stored numbers read as Excel displays them", arguments: [
        ("1980", "1980"),
        ("1980.0", "1980"),
        ("13812345678", "13812345678"),
        ("1.3812345678E10", "13812345678"),
        ("1.3812345678e+10", "13812345678"),
        ("68.900000000000006", "68.9"),
        ("0.1", "0.1"),
        ("-12.50", "-12.5"),
        ("1.5E-3", "0.0015"),
        ("-0.0", "0"),
        ("999999999999999.9", "1000000000000000"),
        ("not a number", "not a number"),
        ("1E400", "1E400"),
    ])
    func numbers(stored: String, displayed: String) {
        #expect(ExcelValueText.numberText(stored) == displayed)
    }

    @Test("date serials become ISO dates in both date systems", arguments: [
        ("1", ExcelValueText.DateSystem.from1900, "1900-01-01"),
        ("59", .from1900, "1900-02-28"),
        ("61", .from1900, "1900-03-01"),
        ("17656", .from1900, "1948-05-03"),
        ("44652", .from1900, "2022-04-01"),
        ("44652.5", .from1900, "2022-04-01 12:00"),
        ("0.75", .from1900, "18:00"),
        ("0", .from1904, "1904-01-01"),
        ("43190", .from1904, "2022-04-01"),
    ])
    func dates(serial: String, system: ExcelValueText.DateSystem, expected: String) {
        #expect(ExcelValueText.dateText(serial: serial, system: system) == expected)
    }

    @Test("a format is a date when it has date letters outside quotes and brackets", arguments: [
        ("yyyy-mm-dd", true),
        ("yyyy\"年\"m\"月\"d\"日\"", true),
        ("[$-804]yyyy/m/d", true),
        ("h:mm", true),
        ("0.00", false),
        ("#,##0\" 元\"", false),
        ("[Red]0.00", false),
        ("0.00E+00", false),
        ("General", false),
        ("@", false),
    ])
    func dateFormats(code: String, isDate: Bool) {
        #expect(ExcelValueText.isDateFormat(code) == isDate)
    }

    @Test("cell references map to zero-based positions and back", arguments: [
        ("A1", 0, 0), ("C12", 2, 11), ("Z3", 25, 2), ("AA1", 26, 0), ("XFD1048576", 16_383, 1_048_575),
    ])
    func cellReferences(text: String, column: Int, row: Int) throws {
        let reference = try #require(CellReference(text))
        #expect(reference == CellReference(column: column, row: row))
        #expect(reference.text == text)
    }

    @Test("malformed cell references are not guessed at", arguments: ["", "12", "A", "1A", "a1", "A0", "XFE1"])
    func malformedReferences(text: String) {
        #expect(CellReference(text) == nil)
    }
}
