extension Catalogue {
    /// Texts of the register upload and download pages and the import's outcome.
    static let registerPages: [String: CatalogueEntry] = [
        "register.link": .init("户籍底册（导入/导出）", "Household register (import/export)"),
        "register.page_title": .init("{place}：户籍底册", "{place}: household register"),
        "register.upload_label": .init("上传底册（Excel .xlsx 或 .csv）", "Upload the register (Excel .xlsx or .csv)"),
        "register.upload_hint": .init("第一行是表头，例如：", "The first row holds the column headers, in Chinese as in the file, e.g.:"),
        // The headers a register file must have: the file's own words, the same in both languages.
        "register.headers": .init("楼号、室号、姓名、电话、出生年份、备注", "楼号、室号、姓名、电话、出生年份、备注"),
        "register.partial_label": .init("只导入正确的行（有问题的行不导入）", "Import only the good rows (skip rows with problems)"),
        "register.upload_submit": .init("导入", "Import"),
        "register.download_title": .init("下载底册", "Download the register"),
        "register.download_unmasked": .init("下载含完整电话的底册（会被记录）", "Download with full phone numbers (recorded)"),
        "register.result.rejected": .init("文件中有错误，未导入任何内容。请改正以下各行后重新上传整个文件。", "The file has errors, so nothing was imported. Fix the rows below and upload the whole file again."),
        "register.result.applied": .init("已导入：新增 {households} 户、{created} 人，更新 {updated} 人，{unchanged} 人无变化。", "Imported: {households} new households, {created} new residents, {updated} updated, {unchanged} unchanged."),
        // Audit log actions of the register, for the audit views.
        "register.export": .init("导出底册（电话已遮挡）", "Register exported (phones masked)"),
        "register.export_unmasked": .init("导出底册（含完整电话）", "Register exported with full phone numbers"),
        "register.sheet_name": .init("户籍底册", "Register"),
        "register.rejects.reason_column": .init("问题", "Problem"),
        "register.error.unknown_compound": .init("找不到小区“{value}”，请检查“小区”一列", "No compound named “{value}” here: check the 小区 column"),
        "register.error.ambiguous_compound": .init("这里有多个名为“{value}”的小区，请导入到具体的小区", "Several compounds here are named “{value}”: import into the compound itself"),
        "register.error.compound_column_needed": .init("这里有多个小区，文件需要“小区”一列", "There are several compounds here: the file needs a 小区 (compound) column"),
        "register.error.target_too_low": .init("底册只能导入到小区或更高一级", "A register is imported into a compound or a place above it"),
    ]
}
