import Foundation

/// The XML parts of a one-sheet workbook holding `rows` as text.
struct WorkbookWriter {
    let rows: [[String]]
    let sheetName: String

    private static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// Archive path → content, in the order Excel itself writes them ([Content_Types].xml first).
    func parts() -> [(path: String, content: String)] {
        let (sharedStrings, sheet) = sharedStringsAndSheet()
        return [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelationships),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles),
            ("xl/sharedStrings.xml", sharedStrings),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
    }

    private var contentTypes: String {
        let prefix = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        return Self.declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="\(prefix).sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="\(prefix).worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="\(prefix).styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" ContentType="\(prefix).sharedStrings+xml"/>\
        </Types>
        """
    }

    private var packageRelationships: String {
        Self.declaration + """
        <Relationships xmlns="\(Self.packageRelationshipsNamespace)">\
        <Relationship Id="rId1" Type="\(Self.relationshipsNamespace)/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """
    }

    private var workbook: String {
        Self.declaration + """
        <workbook xmlns="\(Self.mainNamespace)" xmlns:r="\(Self.relationshipsNamespace)">\
        <sheets><sheet name="\(Self.escaped(Self.validSheetName(sheetName)))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    private var workbookRelationships: String {
        Self.declaration + """
        <Relationships xmlns="\(Self.packageRelationshipsNamespace)">\
        <Relationship Id="rId1" Type="\(Self.relationshipsNamespace)/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="\(Self.relationshipsNamespace)/styles" Target="styles.xml"/>\
        <Relationship Id="rId3" Type="\(Self.relationshipsNamespace)/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """
    }

    /// Style 0 is Text (number format 49, "@"), so a phone number a user retypes stays text;
    /// style 1 is the same in bold, for the header row.
    private var styles: String {
        Self.declaration + """
        <styleSheet xmlns="\(Self.mainNamespace)">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2">\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
    }

    private func sharedStringsAndSheet() -> (sharedStrings: String, sheet: String) {
        var indexByText: [String: Int] = [:]
        var uniqueTexts: [String] = []
        var cellCount = 0
        var sheetData = ""
        for (rowIndex, row) in rows.enumerated() where row.contains(where: { !$0.isEmpty }) {
            sheetData += #"<row r="\#(rowIndex + 1)">"#
            let style = rowIndex == 0 ? #" s="1""# : ""
            for (columnIndex, text) in row.enumerated() where !text.isEmpty {
                let index = indexByText[text] ?? {
                    uniqueTexts.append(text)
                    indexByText[text] = uniqueTexts.count - 1
                    return uniqueTexts.count - 1
                }()
                cellCount += 1
                let reference = CellReference(column: columnIndex, row: rowIndex).text
                sheetData += #"<c r="\#(reference)" t="s"\#(style)><v>\#(index)</v></c>"#
            }
            sheetData += "</row>"
        }
        let strings = uniqueTexts.map { #"<si><t xml:space="preserve">\#(Self.escaped(Self.encodingOOXMLEscapes($0)))</t></si>"# }
        let sharedStrings = Self.declaration
            + #"<sst xmlns="\#(Self.mainNamespace)" count="\#(cellCount)" uniqueCount="\#(uniqueTexts.count)">"#
            + strings.joined() + "</sst>"
        let sheet = Self.declaration
            + #"<worksheet xmlns="\#(Self.mainNamespace)" xmlns:r="\#(Self.relationshipsNamespace)">"#
            + "<sheetData>" + sheetData + "</sheetData></worksheet>"
        return (sharedStrings, sheet)
    }

    /// Excel refuses sheet names longer than 31 characters or containing any of : \ / ? * [ ].
    static func validSheetName(_ name: String) -> String {
        let forbidden: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]
        let cleaned = String(name.filter { !forbidden.contains($0) }.prefix(31))
            .trimmingCharacters(in: ["'", " "])
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    /// Characters XML 1.0 cannot carry at all, and carriage returns (which XML turns into line
    /// feeds), are written as `_xHHHH_`; a literal "_x" that would read as an escape is itself
    /// escaped, as Excel does.
    static func encodingOOXMLEscapes(_ text: String) -> String {
        var result = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let isControl = scalar.value < 0x20 && scalar != "\t" && scalar != "\n"
            let isNonCharacter = scalar.value == 0xFFFE || scalar.value == 0xFFFF
            let startsEscapeLookalike = scalar == "_" && index + 1 < scalars.count && scalars[index + 1] == "x"
            if isControl || isNonCharacter || startsEscapeLookalike {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func escaped(_ text: String) -> String {
        BriefingChart.escape(text)
    }
}
