import Testing

extension AccessMatrixTests {
    /// Relief supplies. Receiving and shelf offers are probed with a bad field, refused by field
    /// once past the access checks; batches and shelf items with an id that does not exist (the
    /// world has none); SuppliesTests checks hand-outs, write-offs and recalls inside.
    static let suppliesMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/supplies/batches", [
            Probe(label: "receive with a bad kind", uri: "/api/v1/supplies/batches", target: .place, rule: .capability(.manageSupplies, wayDown: false), allowed: .badRequest,
                  body: #"{"place_id":{id},"kind":"gift"}"#, field: "kind"),
        ]),
        ("GET /api/v1/supplies/batches/{id}", [
            Probe(label: "missing batch", uri: "/api/v1/supplies/batches/\(missing)", target: .none, rule: .capability(.handOutSupplies, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/supplies/batches/{id}/handouts", [
            Probe(label: "hand out from a missing batch", uri: "/api/v1/supplies/batches/\(missing)/handouts", target: .none, rule: .capability(.handOutSupplies, wayDown: false),
                  allowed: .created, body: #"{"household_id":1}"#),
        ]),
        ("POST /api/v1/supplies/batches/{id}/handouts/bulk", [
            Probe(label: "hand out all from a missing batch", uri: "/api/v1/supplies/batches/\(missing)/handouts/bulk", target: .none, rule: .capability(.handOutSupplies, wayDown: false),
                  allowed: .ok, body: #"{"place_id":1}"#),
        ]),
        ("POST /api/v1/supplies/batches/{id}/write-offs", [
            Probe(label: "write off a missing batch", uri: "/api/v1/supplies/batches/\(missing)/write-offs", target: .none, rule: .capability(.manageSupplies, wayDown: false),
                  allowed: .ok, body: #"{"quantity":1,"reason":"damaged"}"#),
        ]),
        ("GET /api/v1/supplies/recall", [
            Probe(label: "recall a lot", uri: "/api/v1/supplies/recall?place={id}&lot=L1", target: .place, rule: .capability(.manageSupplies, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/supplies/places/{id}/transparency", [
            // The city is the demo's first place (id 1): every caller, even without a session, reads its figures.
            Probe(label: "public figures of the city", uri: "/api/v1/supplies/places/1/transparency", target: .none, rule: .open, allowed: .ok),
        ]),
        ("GET /api/v1/supplies/places/{id}/pool", [
            Probe(label: "pool and shelf", uri: "/api/v1/supplies/places/{id}/pool", target: .place, rule: .capability(.handOutSupplies, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/supplies/shelf", [
            Probe(label: "offer without an item", uri: "/api/v1/supplies/shelf", target: .place, rule: .capability(.handOutSupplies, wayDown: false), allowed: .badRequest,
                  body: #"{"place_id":{id},"quantity":1}"#, field: "item"),
        ]),
        ("POST /api/v1/supplies/shelf/{id}/take", [
            Probe(label: "take a missing item", uri: "/api/v1/supplies/shelf/\(missing)/take", target: .none, rule: .capability(.handOutSupplies, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/households/{id}/supplies", [
            Probe(label: "household's receipts", uri: "/api/v1/households/{id}/supplies", target: .household, rule: .request, allowed: .ok),
        ]),
    ]
}
