import Foundation
import LinliStore
import SQLKit

/// Files `count` open medicine requests across the district demo's households, one in about
/// every 22 households, spread over every compound's medicine team: one to three items each,
/// from 40 drugs at 12 hospitals of two windows each. Set-based SQL, so generating them takes
/// seconds and is not what the benchmark measures.
enum MedicineRequestsGenerator {
    static let drugs: [(String, String)] = [
        ("氨氯地平片", "5mg*28片"), ("缬沙坦胶囊", "80mg*7粒"), ("二甲双胍缓释片", "0.5g*30片"), ("阿卡波糖片", "50mg*30片"),
        ("阿托伐他汀钙片", "20mg*7片"), ("瑞舒伐他汀钙片", "10mg*7片"), ("阿司匹林肠溶片", "100mg*30片"), ("氯吡格雷片", "75mg*7片"),
        ("美托洛尔缓释片", "47.5mg*7片"), ("硝苯地平控释片", "30mg*7片"), ("厄贝沙坦片", "150mg*7片"), ("替米沙坦片", "40mg*14片"),
        ("格列美脲片", "2mg*30片"), ("西格列汀片", "100mg*7片"), ("左甲状腺素钠片", "50μg*100片"), ("单硝酸异山梨酯片", "20mg*48片"),
        ("华法林钠片", "2.5mg*60片"), ("呋塞米片", "20mg*100片"), ("螺内酯片", "20mg*100片"), ("奥美拉唑肠溶胶囊", "20mg*14粒"),
        ("雷贝拉唑钠肠溶片", "10mg*7片"), ("孟鲁司特钠片", "10mg*5片"), ("沙美特罗替卡松粉吸入剂", "50/250μg*60吸"), ("噻托溴铵粉吸入剂", "18μg*10粒"),
        ("坦索罗辛缓释胶囊", "0.2mg*10粒"), ("非那雄胺片", "5mg*10片"), ("多奈哌齐片", "5mg*7片"), ("美金刚片", "10mg*28片"),
        ("左旋多巴片", "250mg*100片"), ("丙戊酸钠缓释片", "0.5g*30片"), ("卡马西平片", "0.1g*100片"), ("碳酸钙D3片", "600mg*60片"),
        ("骨化三醇软胶囊", "0.25μg*10粒"), ("别嘌醇片", "0.1g*100片"), ("非布司他片", "40mg*16片"), ("甲钴胺片", "0.5mg*20片"),
        ("氯沙坦钾片", "50mg*7片"), ("比索洛尔片", "5mg*10片"), ("吲达帕胺缓释片", "1.5mg*10片"), ("依折麦布片", "10mg*10片"),
    ]
    static let hospitals = [
        "仁济医院", "曙光医院", "东方医院", "第七人民医院", "浦南医院", "公利医院",
        "周浦医院", "浦东医院", "人民医院", "光华医院", "岳阳医院", "社区卫生服务中心",
    ]

    /// Filed as the server files them: each request straight into its team's batch collecting
    /// for `night` (`MedicineNightlyForming.collectingBatch`, here for every team at once).
    static func generate(count: Int, night: String, at now: Date, on db: any SQLDatabase) async throws -> Int {
        let millis = Int64(now.timeIntervalSince1970 * 1000)
        try await db.raw("CREATE TEMP TABLE bench_drugs (k INTEGER PRIMARY KEY, drug TEXT, spec TEXT)").run()
        for (k, drug) in drugs.enumerated() {
            try await db.raw("INSERT INTO bench_drugs VALUES (\(bind: k), \(bind: drug.0), \(bind: drug.1))").run()
        }
        try await db.raw("CREATE TEMP TABLE bench_hospitals (k INTEGER PRIMARY KEY, name TEXT, window_name TEXT)").run()
        for (k, hospital) in hospitals.enumerated() {
            for window in 0..<2 {
                try await db.raw("INSERT INTO bench_hospitals VALUES (\(bind: k * 2 + window), \(bind: hospital), \(bind: window == 0 ? "慢病窗口" : "西药房"))").run()
            }
        }
        try await db.raw("CREATE TEMP TABLE bench_n (k INTEGER PRIMARY KEY)").run()
        try await db.raw("INSERT INTO bench_n VALUES (0), (1), (2)").run()
        try await db.raw("""
            INSERT INTO requests (household_id, category, urgency, description, channel, filed_by, owner_place_id, status, created_at, accept_by, done_by, path, district_id)
            SELECT h.id, 'medicine', 'normal', '配药', 'household_code', 'household:' || h.id, b.parent_id, 'new', \(bind: millis), \(bind: millis + 43_200_000), \(bind: millis + 86_400_000), h.path, h.district_id
            FROM households h JOIN places b ON b.id = h.building_id
            WHERE (h.id * 2654435761) % 22 = 0
              AND NOT EXISTS (SELECT 1 FROM requests o WHERE o.household_id = h.id AND o.category = 'medicine' AND o.status IN ('new', 'accepted', 'in_progress'))
            ORDER BY h.id LIMIT \(bind: count)
            """).run()
        try await db.raw("""
            INSERT INTO medicine_batches (team_id, kind, night, status, formed_at, path, district_id)
            SELECT id, 'nightly', \(bind: night), 'collecting', \(bind: millis), path, district_id FROM teams WHERE kind = 'medicine_team'
            ON CONFLICT (team_id, night, kind) DO NOTHING
            """).run()
        try await db.raw("""
            INSERT INTO medicine_requests (request_id, household_id, team_id, queue, batch_id, cash_advanced, path, district_id)
            SELECT r.id, r.household_id, t.id, 'nightly', b.id, 20000, r.path, r.district_id
            FROM requests r JOIN teams t ON t.place_id = r.owner_place_id AND t.kind = 'medicine_team'
            JOIN medicine_batches b ON b.team_id = t.id AND b.night = \(bind: night) AND b.kind = 'nightly' AND b.status = 'collecting'
            WHERE r.category = 'medicine' AND r.created_at = \(bind: millis) AND r.description = '配药'
            """).run()
        try await db.raw("""
            INSERT INTO medicine_items (request_id, drug, specification, quantity, kind, source, hospital, hospital_window, cold_chain)
            SELECT m.request_id, d.drug, d.spec, 1 + (m.request_id + n.k) % 3, 'chronic_refill',
                   CASE WHEN hs.name = '社区卫生服务中心' THEN 'health_centre' ELSE 'hospital_window' END, hs.name, hs.window_name, 0
            FROM medicine_requests m
            JOIN bench_n n ON n.k <= m.request_id % 3
            JOIN bench_drugs d ON d.k = (m.request_id * 7 + n.k * 13) % 40
            JOIN bench_hospitals hs ON hs.k = (m.request_id / 7 + n.k) % 24
            WHERE m.request_id IN (SELECT id FROM requests WHERE created_at = \(bind: millis) AND category = 'medicine')
            """).run()
        let row = try await db.raw("SELECT COUNT(*) AS n FROM medicine_requests WHERE request_id IN (SELECT id FROM requests WHERE created_at = \(bind: millis) AND category = 'medicine')").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
