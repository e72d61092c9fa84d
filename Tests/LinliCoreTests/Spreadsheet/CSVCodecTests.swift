import Foundation
import PropertyBased
import Testing
@testable import LinliCore

@Suite("CSV codec")
struct CSVCodecTests {
    private func decode(_ text: String) throws -> [[String]] {
        try CSVCodec.decode(Data(text.utf8))
    }

    @Test("quoted fields keep commas, doubled quotes and line breaks")
    func quotedFields() throws {
        let rows = try decode("姓名,备注\r\n张三,\"独居, 行动不便\"\r\n李四,\"他说\"\"好\"\"\"\r\n王五,\"第一行\r\n第二行\"\r\n")
        #expect(rows == [["姓名", "备注"], ["张三", "独居, 行动不便"], ["李四", "他说\"好\""], ["王五", "第一行\r\n第二行"]])
    }

    @Test("LF, CRLF and a missing final line end all read the same")
    func lineEnds() throws {
        let expected = [["a", "b"], ["c", "d"]]
        #expect(try decode("a,b\nc,d\n") == expected)
        #expect(try decode("a,b\r\nc,d\r\n") == expected)
        #expect(try decode("a,b\r\nc,d") == expected)
    }

    @Test("a blank line keeps its place so row numbers match Excel; trailing blank lines are dropped")
    func blankLines() throws {
        #expect(try decode("a\n\nb\n\n\n") == [["a"], [], ["b"]])
        #expect(try decode("a,,\n") == [["a", "", ""]])
    }

    @Test("a UTF-8 byte-order mark is not part of the first header")
    func byteOrderMark() throws {
        let rows = try CSVCodec.decode(Data([0xEF, 0xBB, 0xBF]) + Data("楼号,室号\n".utf8))
        #expect(rows == [["楼号", "室号"]])
    }

    @Test("a CSV saved by Chinese Excel in GB18030 is read")
    func gb18030() throws {
        let text = "姓名,性别\r\n张桂英,女\r\n"
        let data = try #require(text.data(using: CSVCodec.gb18030))
        #expect(String(data: data, encoding: .utf8) == nil, "the sample must not also be valid UTF-8")
        #expect(try CSVCodec.decode(data) == [["姓名", "性别"], ["张桂英", "女"]])
    }

    @Test("bytes that are neither UTF-8 nor GB18030 are refused with a clear error")
    func unsupportedEncoding() {
        // 0xFF can start no character in either encoding.
        #expect(throws: SpreadsheetError.unsupportedEncoding) {
            try CSVCodec.decode(Data([0x61, 0x2C, 0xFF, 0xFF, 0x0A]))
        }
    }

    @Test("a quote that never closes names the line it opened on")
    func unterminatedQuote() {
        #expect(throws: SpreadsheetError.unterminatedQuote(line: 2)) {
            try decode("姓名,备注\n张三,\"独居\n李四,无\n")
        }
    }

    @Test("stray quotes inside an unquoted field are kept, as Excel does")
    func strayQuotes() throws {
        #expect(try decode("3\"号楼,a\"b\"\n") == [["3\"号楼", "a\"b\""]])
    }

    @Test("export is UTF-8 with a byte-order mark and CRLF, quoting only where needed")
    func encodeLayout() throws {
        let data = CSVCodec.encode([["姓名", "备注"], ["张三", "独居, 行动不便"], ["李四", "说\"好\""]])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = try #require(String(data: data.dropFirst(3), encoding: .utf8))
        #expect(text == "姓名,备注\r\n张三,\"独居, 行动不便\"\r\n李四,\"说\"\"好\"\"\"\r\n")
    }

    @Test("cells Excel would run as formulas are neutralised, phone numbers and negative numbers are not",
          arguments: [
              ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
              ("@SUM(A1)", "'@SUM(A1)"),
              ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
              ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
              ("+86 138 1234 5678", "+86 138 1234 5678"),
              ("-12.5", "-12.5"),
              ("-", "-"),
              ("13812345678", "13812345678"),
              ("张=三", "张=三"),
          ])
    func formulaInjection(cell: String, exported: String) throws {
        let data = CSVCodec.encode([[cell]])
        let rows = try CSVCodec.decode(data)
        #expect(rows == [[exported]])
    }

    @Test("a row with a single empty cell survives a round trip instead of becoming a blank line")
    func singleEmptyCell() throws {
        #expect(try CSVCodec.decode(CSVCodec.encode([["a"], [""], ["b"]])) == [["a"], [""], ["b"]])
    }

    @Test("encode then decode gives back any table of safe text")
    func roundTrip() async {
        // Cells drawn from characters that stress the format: separators, quotes, line breaks,
        // spaces and Chinese text. Formula prefixes are left out: export changes those on purpose.
        let cell = Gen<Character?>.element(of: Array("ab 张三,\"\n\r\t1") as [Character])
            .map { $0 ?? "a" }
            .string(of: 0...6)
            .filter { CSVCodec.neutralisingFormula($0) == $0 }
        let rows = cell.array(of: 1...4).array(of: 0...6)
        await propertyCheck(input: rows) { rows throws in
            #expect(try CSVCodec.decode(CSVCodec.encode(rows)) == rows)
        }
    }
}
