#!/usr/bin/env python3
"""Generates the household-register fixtures in Tests/Fixtures/register/.

The files imitate what residents' committees upload: a register typed in Excel with Chinese
headers, one where phones, years and birth dates were typed as numbers and dates, the same
register saved as "CSV UTF-8" (with a byte-order mark) and as plain "CSV" on Chinese Windows
(GB18030), and one with a mistyped phone in row 7.

Run from the repository root:  python3 Tests/Fixtures/make_fixtures.py   (needs openpyxl)
The output is deterministic, so re-running it leaves git clean.
"""
import csv
import datetime
import io
import pathlib
import re
import zipfile

import openpyxl
from openpyxl.styles import Font

OUT = pathlib.Path(__file__).parent / "register"

HEADER = ["楼号", "室号", "姓名", "性别", "联系电话", "出生年份", "备注", "健康状况", "残疾情况"]

# 20 residents in three buildings, written the way committees write them.
RESIDENTS = [
    ["3号楼", "101", "张桂英", "女", "13812345678", "1941", "独居", "高血压", ""],
    ["3号楼", "101", "李建国", "男", "13912345678", "1950", "", "", ""],
    ["3号楼", "102", "王秀兰", "女", "021-62345678", "1938", "独居老人", "糖尿病，需胰岛素", "行动不便"],
    ["3号楼", "201室", "赵伟", "男", "13700001111", "1985", "租户", "", ""],
    ["3号楼", "201室", "孙丽", "女", "13700002222", "1987", "租户", "孕 32 周", ""],
    ["3号楼", "202", "周志明", "男", "+86 136 0000 3333", "1962", "", "", ""],
    ["3号楼", "301", "吴淑珍", "女", "13600004444", "1935", "", "透析，每周二、五", "卧床"],
    ["5栋", "101", "郑海", "男", "13500005555", "1970", "楼组长", "", ""],
    ["5栋", "102", "冯小红", "女", "13500006666", "1992", "", "", ""],
    ["5栋", "102", "陈一一", "女", "", "2016", "儿童，父母在外", "", ""],
    ["5栋", "203", "褚卫东", "男", "13400007777", "1958", "", "心脏病", ""],
    ["5栋", "301", "卫芳", "女", "13400008888", "1966", "", "", "听力残疾"],
    ["5栋", "302", "蒋德胜", "男", "13300009999", "1944", "", "", "阿尔茨海默病"],
    ["5栋", "401", "沈佳怡", "女", "13300001234", "1999", "", "", ""],
    ["12号楼", "101", "韩磊", "男", "13200002345", "1978", "", "", ""],
    ["12号楼", "101", "杨梅", "女", "13200003456", "1980", "", "", ""],
    ["12号楼", "102", "朱国强", "男", "62345679", "1947", "独居", "哮喘", ""],
    ["12号楼", "201", "秦晓燕", "女", "13100004567", "1990", "", "", ""],
    ["12号楼", "202", "许文", "男", "13100005678", "1955", "备注含逗号, 和\n换行", "", ""],
    ["12号楼", "302", "何丽华", "女", "13000006789", "1949", "", "高血压", "肢体残疾"],
]

FIXED_TIME = (2022, 4, 1, 0, 0, 0)


def rewrite_zip(path, patches=()):
    """Rewrites a workbook with fixed timestamps, so that regenerating leaves the bytes (and git)
    unchanged, applying (part, old, new) text patches for values openpyxl never writes itself."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                # openpyxl stamps the save time into "modified" whatever the properties say.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2022-04-01T00:00:00Z", data)
            for part, old, new in patches:
                if name == part:
                    assert old.encode() in data, f"{old} not found in {part}"
                    data = data.replace(old.encode(), new.encode())
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())


def new_workbook(properties_title):
    workbook = openpyxl.Workbook()
    fixed = datetime.datetime(*FIXED_TIME)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.title = properties_title
    return workbook


def write_text_register(path, rows):
    """Every cell typed as text: the register as most committees keep it."""
    workbook = new_workbook("户籍底册")
    sheet = workbook.active
    sheet.title = "户籍底册"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    rewrite_zip(path)


def write_numeric_register(path):
    """Phones and rooms typed as numbers, birth dates as Excel dates, a title row above the
    header, an unknown 序号 column and a blank row in the middle."""
    workbook = new_workbook("户籍底册（数字格式）")
    # A second sheet first in the tab order of the file would be read instead; keep the
    # register first and add a notes sheet after it, as committees often do.
    sheet = workbook.active
    sheet.title = "底册"
    workbook.create_sheet("说明").append(["本表由居委会维护"])
    sheet.append(["XX居委会户籍底册（2022年4月）"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序号", "楼号", "室号", "姓名", "性别", "手机号", "出生日期", "备注"])
    rows = [
        [1, 3, 101, "张桂英", "女", 13812345678, datetime.date(1941, 3, 5), "独居"],
        [2, 3, 101, "李建国", "男", 13912345678, datetime.date(1950, 12, 31), None],
        [3, 3, 201, "赵伟", "男", 13700001111, 1985, "租户"],
        [None, None, None, None, None, None, None, None],
        [5, 5, 102, "冯小红", "女", 13500006666, "1992/7/8", None],
        [6, 5, 301, "卫芳", "女", None, datetime.date(1966, 1, 1), None],
    ]
    for row in rows:
        sheet.append(row)
    # Birth dates: a custom "yyyy-mm-dd" on one, Excel's built-in short date (id 14) on others.
    sheet["G3"].number_format = "yyyy-mm-dd"
    sheet["G4"].number_format = "mm-dd-yy"
    sheet["G8"].number_format = "yyyy\"年\"m\"月\"d\"日\""
    workbook.save(path)
    rewrite_zip(path, patches=[
        # Some writers store a large number in scientific notation, others as a float.
        ("xl/worksheets/sheet1.xml", "<v>13912345678</v>", "<v>1.3912345678E10</v>"),
        ("xl/worksheets/sheet1.xml", "<v>13700001111</v>", "<v>13700001111.0</v>"),
    ])


def write_csv(path, encoding, with_bom):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(RESIDENTS)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if with_bom else b"") + data)


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
PACKAGE_RELS = (
    f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
    f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def write_parts(path, parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())


def write_handcrafted_workbooks():
    """Workbooks written part by part, for what Excel, WPS and other generators do that openpyxl
    does not: shared strings with rich-text runs and phonetic guides, "x:"-prefixed elements,
    cells without references, the 1904 date system, a first sheet not named sheet1.xml."""
    shared_strings = (
        f'<sst xmlns="{MAIN_NS}" count="7" uniqueCount="7">'
        "<si><t>楼号</t></si><si><t>室号</t></si><si><t>姓名</t></si>"
        '<si><r><rPr><b/></rPr><t>王</t></r><r><t xml:space="preserve">秀兰</t></r></si>'
        '<si><t>张三</t><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>'
        "<si><t>第一行_x000D_\n第二行</t></si>"
        "<si><t>a &amp; b &lt;c&gt;</t></si>"
        "</sst>"
    )
    register_sheet = (
        f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
        '<x:c r="C1" t="s"><x:v>2</x:v></x:c><x:c r="E1" t="inlineStr"><x:is><x:t>备注</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2"><x:v>3</x:v></x:c><x:c r="B2" t="str"><x:f>"20"&amp;"1"</x:f><x:v>201</x:v></x:c>'
        '<x:c r="C2" t="s"><x:v>3</x:v></x:c><x:c r="D2" s="1"><x:v>0</x:v></x:c><x:c r="E2" t="s"><x:v>5</x:v></x:c></x:row>'
        '<x:row r="4"><x:c t="n"><x:v>1.2E1</x:v></x:c><x:c><x:v>68.900000000000006</x:v></x:c>'
        '<x:c t="s"><x:v>4</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c>'
        '<x:c t="inlineStr"><x:is><x:r><x:t>rich </x:t></x:r><x:r><x:t>inline</x:t></x:r></x:is></x:c></x:row>'
        '<x:row r="5"><x:c r="A5" s="0"/><x:c r="C5" t="s"><x:v>6</x:v></x:c></x:row>'
        '<x:row r="6"><x:c r="B6" s="0"/></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    decoy_sheet = (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    styles = (
        f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    workbook = (
        f'<workbook xmlns="{MAIN_NS}" xmlns:rel="{REL_NS}"><workbookPr date1904="1"/><sheets>'
        '<sheet name="底册" sheetId="3" rel:id="rId7"/><sheet name="Other" sheetId="1" rel:id="rId1"/>'
        "</sheets></workbook>"
    )
    workbook_rels = (
        f'<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId7" Type="{REL_NS}/worksheet" Target="/xl/worksheets/data.xml"/>'
        "</Relationships>"
    )
    base = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": workbook_rels,
        "xl/styles.xml": styles,
        "xl/sharedStrings.xml": shared_strings,
        "xl/worksheets/data.xml": register_sheet,
        "xl/worksheets/sheet1.xml": decoy_sheet,
    }
    write_parts(OUT / "workbook-handcrafted.xlsx", base)

    # Without relationships the first sheet is taken to be sheet1.xml.
    write_parts(OUT / "workbook-without-rels.xlsx", {
        "[Content_Types].xml": CONTENT_TYPES,
        "xl/workbook.xml": f'<workbook xmlns="{MAIN_NS}"><sheets><sheet name="A" sheetId="1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": decoy_sheet,
    })
    write_parts(OUT / "workbook-broken-shared-strings.xlsx", dict(base, **{
        "xl/sharedStrings.xml": shared_strings.replace("</sst>", "<si><t>unclosed</si></sst>"),
    }))
    write_parts(OUT / "workbook-with-doctype.xlsx", dict(base, **{
        "xl/worksheets/data.xml": '<!DOCTYPE lol [<!ENTITY lol "lol">]>' + register_sheet,
    }))
    write_parts(OUT / "workbook-without-sheet.xlsx", {
        "[Content_Types].xml": CONTENT_TYPES,
        "xl/workbook.xml": f'<workbook xmlns="{MAIN_NS}"><sheets/></workbook>',
    })
    write_parts(OUT / "not-a-workbook.zip", {"readme.txt": "这不是 Excel 文件"})

    # A zip bomb as the unpacker sees it first: an entry whose header promises 300 MB.
    path = OUT / "workbook-claims-300mb.xlsx"
    write_parts(path, base)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/data.xml"
    claimed = (300 * 1024 * 1024).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    while local != -1:
        if data[local + 30 : local + 30 + len(name)] == name:
            data[local + 22 : local + 26] = claimed
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            data[central + 24 : central + 28] = claimed
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write_text_register(OUT / "register.xlsx", RESIDENTS)
    bad = [list(row) for row in RESIDENTS]
    bad[5][4] = "1360000333"  # spreadsheet row 7 (header is row 1): a digit missing
    write_text_register(OUT / "register-bad-row.xlsx", bad)
    write_numeric_register(OUT / "register-numeric.xlsx")
    write_csv(OUT / "register-utf8-bom.csv", "utf-8", with_bom=True)
    write_csv(OUT / "register-gb18030.csv", "gb18030", with_bom=False)
    write_handcrafted_workbooks()


if __name__ == "__main__":
    main()
