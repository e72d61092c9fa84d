// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "linli",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "linli", targets: ["linli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3" ..< "5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        .target(
            name: "LinliCore",
            dependencies: [
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The system's SQLite; on Debian, `apt-get install libsqlite3-dev`.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "LinliStore",
            dependencies: [
                "LinliCore",
                "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LinliServer",
            dependencies: [
                "LinliCore",
                "LinliStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Views/Assets"],
            plugins: ["EmbedOpenAPI", "EmbedPageAssets"]
        ),
        // docs/openapi.json, compiled into LinliServer as `OpenAPIDocument.text` at build time, so
        // the document has one source and the binary needs no resource bundle beside it.
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["OpenAPIEmbedder"]),
        .executableTarget(name: "OpenAPIEmbedder", path: "Plugins/OpenAPIEmbedder"),
        // Sources/LinliServer/Views/Assets (the page templates and the stylesheet), compiled into
        // LinliServer as `PageAssets.files`, for the same reason: one binary, nothing beside it.
        .plugin(name: "EmbedPageAssets", capability: .buildTool(), dependencies: ["PageAssetEmbedder"]),
        .executableTarget(name: "PageAssetEmbedder", path: "Plugins/PageAssetEmbedder"),
        .executableTarget(
            name: "linli",
            dependencies: [
                "LinliCore",
                "LinliStore",
                "LinliServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "linli-bench-bare",
            dependencies: [
                "LinliStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // Care pairing at district scale against OR-Tools (scripts/bench/care-pairing).
        .executableTarget(name: "linli-bench-care", dependencies: ["LinliCore"]),
        // The night's medicine batches at district scale against one SQL query
        // (scripts/bench/medicine-batches).
        .executableTarget(name: "linli-bench-medicine", dependencies: ["LinliCore", "LinliStore", .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log")]),
        // A relief batch handed out to every household of the district demo, and its ledger
        // verified, against the same rows inserted with plain SQL (scripts/bench/relief-handout).
        .executableTarget(name: "linli-bench-supplies", dependencies: ["LinliCore", "LinliStore", .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "LinliCoreTests",
            dependencies: [
                "LinliCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .target(
            name: "LinliTestSupport",
            dependencies: ["LinliStore", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/LinliTestSupport"
        ),
        .testTarget(
            name: "LinliStoreTests",
            dependencies: ["LinliStore", "LinliTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "LinliServerTests",
            dependencies: [
                "LinliServer",
                "LinliTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
