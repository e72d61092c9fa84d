extension Catalogue {
    /// Relief batches, donations, hand-outs, the mutual-aid shelf and the public figures.
    static let supplies: [String: CatalogueEntry] = [
        "supplies.error.already_handed_out": .init("这一户已经领过这批物资", "This household has already received its share of this batch"),
        "supplies.error.not_entitled": .init("按这批物资的分配规则，这一户不在发放范围内", "Under this batch's allocation rule, this household gets nothing"),
        "supplies.error.out_of_stock": .init("这批物资剩下的不够了", "Not enough of this batch is left"),
        "supplies.error.already_taken": .init("这件东西已经被领走了", "This item has already been taken"),
        "supplies.error.household_outside": .init("这一户不在这批物资的发放范围（接收地点）内", "This household is not under the place this batch was received at"),
        "supplies.error.not_saved": .init("没有保存成功，请再试一次", "Not saved; please try again"),
        "supplies.error.quantity_range": .init("{field}应在 1 到 {max} 之间", "{field} must be between 1 and {max}"),
        "field.supplier": .init("供货单位", "Supplier"),
        "field.lot": .init("批号", "Lot"),
        "field.contents": .init("物资清单", "Contents"),
        "field.licences": .init("证照", "Licences"),
        "field.expiry": .init("保质期至", "Best before"),
        "field.unit": .init("计量方式", "Counted in"),
        "field.quantity": .init("数量", "Quantity"),
        "field.allocation": .init("分配规则", "Allocation rule"),
        "field.household_code": .init("户码", "Household code"),
        "field.item": .init("物品", "Item"),
        "supplies.error.too_many_lines": .init("{field}最多 {max} 行", "{field} may have at most {max} lines"),
    ]
}
