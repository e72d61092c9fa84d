import Foundation
import Hummingbird
import LinliCore
import LinliStore
import Logging

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// A connection that sends nothing for this long is closed, so slow or stalled clients
    /// cannot hold the server's connections.
    public var idleTimeout: TimeInterval
    /// How long a node holds a job before another may take it over (a node that died mid-job).
    public var jobLease: TimeInterval

    public init(host: String = "127.0.0.1", port: Int = 8080, idleTimeout: TimeInterval = 30, jobLease: TimeInterval = 60) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.jobLease = jobLease
    }
}

/// The one function that builds Linli's HTTP application; `linli serve` and every HTTP test call it.
/// `runJobs: false` leaves the job runner out, for tests that drive jobs themselves on a clock
/// they move by hand (a runner in the background would race them for the same jobs).
public func buildApplication(_ configuration: ServerConfiguration, services: AppServices, runJobs: Bool = true) -> some ApplicationProtocol {
    let router = buildRouter(services: services)
    let responder = CanonicalPathResponder(inner: router.buildResponder())
    let jobs = JobRunner(store: services.store, handlers: jobHandlers(services: services), now: services.now, lease: configuration.jobLease, logger: services.logger)
    return Application(
        responder: responder,
        server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "linli"),
        services: runJobs ? [jobs] : [],
        logger: services.logger
    )
}

/// Every kind of job this server runs, by capability.
public func jobHandlers(services: AppServices) -> [JobHandler] {
    [RequestEscalation(services: services).deadlineHandler, NotifyService(services: services).deliveryHandler, AccessService(services: services).purgeHandler,
     FinishedWorkPurge(services: services).handler, CareCheckIns(services: services).makeHandler, CareCheckIns(services: services).dueHandler,
     MedicineCutOff(services: services).handler, RumourService(services: services).deadlineHandler,
     BriefingService(services: services).draftHandler]
}

public func buildRouter(services: AppServices) -> Router<LinliRequestContext> {
    // HEAD answers like GET (without the body) on every page and API route.
    let router = Router(context: LinliRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustedProxies: services.trustedProxies))
    router.add(middleware: AuthenticationMiddleware(services: services))
    // Again inside authentication, so an error page knows who is signed in and shows their
    // header; the outer one answers errors of the middlewares before it.
    router.add(middleware: ErrorMiddleware())

    OperationsRoutes(services: services).addRoutes(to: router)
    router.get("openapi.json") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
    }
    let api = router.group("api/v1")
    AccessAPI(services: services).addRoutes(to: api)
    DirectoryAPI(services: services).addRoutes(to: api)
    RegisterAPI(services: services).addRoutes(to: api)
    RequestAPI(services: services).addRoutes(to: api)
    NotifyAPI(services: services).addRoutes(to: api)
    SurveyAPI(services: services).addRoutes(to: api)
    RequestPolicyAPI(services: services).addRoutes(to: api)
    CareRegisterAPI(services: services).addRoutes(to: api)
    CareAPI(services: services).addRoutes(to: api)
    MedicineAPI(services: services).addRoutes(to: api)
    MedicineRequestAPI(services: services).addRoutes(to: api)
    GroupBuyAPI(services: services).addRoutes(to: api)
    CardCustodyAPI(services: services).addRoutes(to: api)
    SupplyAPI(services: services).addRoutes(to: api)
    RumourAPI(services: services).addRoutes(to: api)
    AnswerAPI(services: services).addRoutes(to: api)
    NoticeAPI(services: services).addRoutes(to: api)
    BriefingAPI(services: services).addRoutes(to: api)

    AccessPages(services: services).addRoutes(to: router)
    DirectoryPages(services: services).addRoutes(to: router)
    RegisterPages(services: services).addRoutes(to: router)
    RequestPages(services: services).addRoutes(to: router)
    ChainListPages(services: services).addRoutes(to: router)
    BoardPage(services: services).addRoutes(to: router)
    NotifyPages(services: services).addRoutes(to: router)
    CareRegisterPages(services: services).addRoutes(to: router)
    SurveyPages(services: services).addRoutes(to: router)
    CarePages(services: services).addRoutes(to: router)
    MedicineBoardPages(services: services).addRoutes(to: router)
    MedicinePrintPages(services: services).addRoutes(to: router)
    MedicineRequestPages(services: services).addRoutes(to: router)
    MedicineRunPages(services: services).addRoutes(to: router)
    GroupBuyPages(services: services).addRoutes(to: router)
    GroupBuySetupPages(services: services).addRoutes(to: router)
    CarePlanPages(services: services).addRoutes(to: router)
    CardCustodyPages(services: services).addRoutes(to: router)
    SupplyPages(services: services).addRoutes(to: router)
    RumourPages(services: services).addRoutes(to: router)
    AnswerPages(services: services).addRoutes(to: router)
    NoticePages(services: services).addRoutes(to: router)
    BriefingPages(services: services).addRoutes(to: router)
    DesignPage().addRoutes(to: router)
    return router
}
