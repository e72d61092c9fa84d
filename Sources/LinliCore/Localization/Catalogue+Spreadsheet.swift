extension Catalogue {
    static let spreadsheet: [String: CatalogueEntry] = [
        "spreadsheet.title": .init("spreadsheet", "Spreadsheet"),

        "spreadsheet.error.not_xlsx": .init(
            "文件不是有效的 Excel（.xlsx）文件；旧版 .xls 请在 Excel 或 WPS 中另存为 .xlsx",
            "The file is not a valid Excel (.xlsx) workbook; save an old .xls file as .xlsx in Excel or WPS"
        ),
        "spreadsheet.error.no_worksheet": .init("Excel 文件中没有工作表", "The workbook has no worksheet"),
        "spreadsheet.error.malformed_xml": .init("Excel 文件已损坏（{part}），请重新保存后再上传", "The workbook is damaged ({part}); save it again and upload it anew"),
        "spreadsheet.error.unsupported_encoding": .init(
            "无法识别 CSV 文件的编码，请另存为“CSV UTF-8”格式",
            "The CSV file's text encoding is not recognised; save it as “CSV UTF-8”"
        ),
        "spreadsheet.error.unterminated_quote": .init(
            "CSV 文件第 {line} 行的引号没有闭合",
            "The quotation mark opened on line {line} of the CSV file is never closed"
        ),
        "spreadsheet.error.part_too_large": .init("Excel 文件内容过大（{part}），无法读取", "The workbook is too large to read ({part})"),
        "spreadsheet.error.cannot_write_xlsx": .init("无法生成 Excel 文件", "The Excel file could not be created"),
    ]
}
