extension Catalogue {
    static let register: [String: CatalogueEntry] = [
        "register.title": .init("register", "Register"),

        "register.field.compound": .init("小区", "Compound"),
        "register.field.building": .init("楼号", "Building"),
        "register.field.room": .init("室号", "Room"),
        "register.field.name": .init("姓名", "Name"),
        "register.field.gender": .init("性别", "Gender"),
        "register.field.phone": .init("电话", "Phone"),
        "register.field.birth_year": .init("出生年份", "Year of birth"),
        "register.field.note": .init("备注", "Note"),
        "register.field.health_note": .init("健康状况", "Health"),
        "register.field.disability_note": .init("残疾情况", "Disability"),

        "register.issue.missing_value": .init("第 {row} 行：{field}不能为空", "Row {row}: {field} is required"),
        "register.issue.invalid_phone": .init(
            "第 {row} 行：电话“{value}”不是有效的手机号（11 位）或固定电话（7–12 位）",
            "Row {row}: phone “{value}” is neither an 11-digit mobile number nor a 7–12 digit landline"
        ),
        "register.issue.invalid_birth_year": .init(
            "第 {row} 行：出生年份“{value}”无法识别，请填写如 1948 或 1948-05-03",
            "Row {row}: year of birth “{value}” is not understood; write e.g. 1948 or 1948-05-03"
        ),
        "register.issue.invalid_gender": .init("第 {row} 行：性别“{value}”请填写“男”或“女”", "Row {row}: gender “{value}” should be 男 (male) or 女 (female)"),
        "register.issue.too_long": .init("第 {row} 行：{field}“{value}”太长", "Row {row}: {field} “{value}” is too long"),
        "register.issue.duplicate_person": .init(
            "第 {row} 行：{value} 在同一楼号、室号中重复出现，只导入第一行",
            "Row {row}: {value} appears twice in the same building and room; only the first row is imported"
        ),
        "register.issue.missing_header": .init(
            "第 {row} 行表头缺少“{field}”列，表头需包含楼号、室号、姓名",
            "The header in row {row} has no “{field}” column; building, room and name are required"
        ),
        "register.issue.empty_file": .init("文件中没有居民数据", "The file holds no residents"),

        "register.warning.unknown_header": .init("第 {column} 列“{header}”无法识别，该列未导入", "Column {column} “{header}” is not recognised and was not imported"),
        "register.warning.duplicate_header": .init("第 {column} 列“{header}”与前面的列重复，该列未导入", "Column {column} “{header}” repeats an earlier column and was not imported"),
    ]
}
