using Determinant.Master.Configuration;
using System.Net;
using Determinant.Master.Agents;
using Determinant.Master.Auth;
using Determinant.Master.Checkpoints;
using Determinant.Master.Controller;
using Determinant.Master.Cluster;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Master.Health;
using Determinant.Master.Live;
using Determinant.Master.Tasks;
using Determinant.Master.Trials;
using Determinant.Master.WebUi;
using Determinant.Protocol.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Hosting;

/// <summary>Builds the master's web application; tests build it the same way.</summary>
internal static partial class MasterApp
{
    /// <summary>
    /// Kestrel's limit for what no route limits itself (the task proxy: uploads into a notebook); every API route has a
    /// smaller <see cref="RequestBodyLimit"/>.
    /// </summary>
    private const long MaxRequestBodyBytes = 1L << 30;

    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        // Defaults beneath every other setting (DET_Logging__LogLevel__..., --Logging:LogLevel:... override them): at
        // information level the frameworks log every request and every SQL command, which floods the log and costs time
        // on every call.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Warning",
            },
        });
        builder.Configuration.AddEnvironmentVariables("DET_")
            .AddCommandLine(args, CommandLineSwitches.Mappings);
        var services = builder.Services;
        services.AddOptions<MasterOptions>().Bind(builder.Configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MasterOptions>, MasterOptionsValidator>();
        services.AddSingleton<IValidateOptions<MasterOptions>, InitialPasswordValidator>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.Get<MasterOptions>() ?? new MasterOptions();
            // An address that does not parse stops the start in MasterOptionsValidator, with a message naming the key.
            if (IPAddress.TryParse(options.ListenAddress, out var address))
                kestrel.Listen(address, options.Port);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => 
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, Protocol.CoreApi.CoreApiJsonContext.Default);
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestBodyLimits.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi();
        AddDatabase(services, builder.Configuration.Get<MasterOptions>() ?? new MasterOptions());
        services.AddAuthentication(MasterClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(MasterClaims.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(MasterClaims.UserPolicy, p => p.RequireClaim(MasterClaims.Kind, MasterClaims.UserKind))
            .AddPolicy(MasterClaims.TrialCallerPolicy, p => p.RequireClaim(MasterClaims.Kind, MasterClaims.UserKind, MasterClaims.AllocationKind))
            .AddPolicy(MasterClaims.AgentPolicy, p => p.RequireClaim(MasterClaims.Kind, MasterClaims.AgentKind))
            .AddPolicy(MasterClaims.TaskLogPolicy, p => p.RequireClaim(
                MasterClaims.Kind, MasterClaims.UserKind, MasterClaims.AllocationKind, MasterClaims.AgentKind))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireClaim(MasterClaims.Kind, MasterClaims.UserKind).Build());
        PasswordAttemptLimits.Add(services);
        ControllerServices.Add(services);
        ExperimentServices.Add(services);
        Projects.ProjectEndpoints.Add(services);
        services.AddSingleton<AgentCredentials>();
        TaskServices.Add(services);
        Commands.CommandServices.Add(services);
        AgentServices.Add(services);
        CoreApiServices.Add(services);
        LiveEndpoints.Add(services);
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        RequestBodyLimits.Use(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        MapEndpoints(app);
        return app;
    }

    private static void AddDatabase(IServiceCollection services, MasterOptions options)
    {
        if (options.Db == "postgres")
            services.AddDbContext<MasterDbContext, PostgresMasterDbContext>(b => MasterDatabase.UsePostgres(b, options.DbUrl ?? ""));
        else
            services.AddDbContext<MasterDbContext, SqliteMasterDbContext>(b => MasterDatabase.UseSqlite(
                b, options.DbUrl ?? MasterDatabase.SqliteConnectionString(options.SqlitePath)));
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapOpenApi("/api/v1/openapi.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").WithMetadata(RequestBodyLimit.Default);
        var small = api.MapGroup("").WithMetadata(RequestBodyLimit.Small);
        HealthEndpoints.Map(app, api);
        AuthEndpoints.Map(small);
        UserEndpoints.Map(small);
        ExperimentEndpoints.Map(api);
        Projects.ProjectEndpoints.Map(api);
        GcPolicyEndpoints.Map(api);
        TrialEndpoints.Map(api);
        var core = api.MapGroup("").RequireAuthorization(MasterClaims.TrialCallerPolicy);
        CoreApiEndpoints.Map(core);
        CheckpointReportEndpoints.Map(core);
        AllocationEndpoints.Map(core);
        RendezvousEndpoints.Map(core);
        TaskLogEndpoints.Map(api.MapGroup("").RequireAuthorization(MasterClaims.TaskLogPolicy).WithMetadata(RequestBodyLimit.Reports));
        AgentEndpoints.Map(api);
        ClusterViews.Map(api);
        LiveEndpoints.Map(api);
        WebSession.Map(small);
        ExperimentSummaries.Map(api);
        ExperimentListLive.Map(api);
        ClusterTasks.Map(api);
        Commands.CommandEndpoints.Map(api);
        Proxy.TaskProxy.Map(app);
        WebUiFiles.Map(app);
    }

    /// <summary>
    /// Creates the data directory (0700), applies migrations (the SQLite file 0600), and makes the cluster id and built-in
    /// users on first start.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<MasterOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Determinant.Master");
        DataDirectory.Prepare(options.DataDir, logger);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        await MasterDatabase.MigrateAsync(db, cancellationToken).ConfigureAwait(false);
        if (!await db.Cluster.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Cluster.Add(new ClusterEntity { Id = 1, ClusterId = Guid.NewGuid().ToString("D"), CreatedAt = time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await BuiltInUsers.EnsureAsync(db, options, time, logger, cancellationToken).ConfigureAwait(false);
        LogReady(logger, db.Database.ProviderName ?? "?", options.DataDir);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}); data directory {DataDir}")]
    private static partial void LogReady(ILogger logger, string provider, string dataDir);
}
