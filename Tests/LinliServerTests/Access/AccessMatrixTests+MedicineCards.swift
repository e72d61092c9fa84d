import Testing

extension AccessMatrixTests {
    /// Insurance-card custody. Registering is probed with an invalid kind, refused by field once
    /// past the access checks; cards are probed with an id that does not exist (the world has
    /// none); CardCustodyTests checks the holder-only number read and custody inside.
    static let medicineCardsMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/medicine/cards", [
            Probe(label: "register with a bad kind", uri: "/api/v1/medicine/cards", target: .household, rule: .capability(.runMedicine, wayDown: false), allowed: .badRequest,
                  body: #"{"household_id":{id},"kind":"passport","number":"1234"}"#, field: "kind"),
        ]),
        ("POST /api/v1/medicine/cards/{id}/custody", [
            Probe(label: "missing card", uri: "/api/v1/medicine/cards/\(missing)/custody", target: .none, rule: .capability(.runMedicine, wayDown: false), allowed: .ok,
                  body: #"{"event":"at_hospital"}"#),
        ]),
        ("GET /api/v1/medicine/cards/{id}", [
            Probe(label: "missing card", uri: "/api/v1/medicine/cards/\(missing)", target: .none, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/medicine/cards/{id}/number", [
            Probe(label: "missing card's number", uri: "/api/v1/medicine/cards/\(missing)/number", target: .none, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/medicine/cards/out", [
            Probe(label: "cards-out board", uri: "/api/v1/medicine/cards/out?place={id}", target: .place, rule: .capability(.runMedicine, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/households/{id}/cards", [
            Probe(label: "household's cards", uri: "/api/v1/households/{id}/cards", target: .household, rule: .request, allowed: .ok),
        ]),
    ]
}
