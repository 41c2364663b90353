using Determinant.Agent.Master;
using Determinant.Agent.Reporting;
using Determinant.Agent.Sandbox;
using Determinant.Agent.Slots;
using Determinant.Agent.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Hosting;

/// <summary>Builds the agent's host; tests and the benchmark build it the same way with settings of their own.</summary>
internal static class AgentHost
{
    public static IHost Build(string[] args, IDictionary<string, string?>? settings = null)
    {
        // No default sources: unprefixed environment variables (PATH, SLOTS, …) must not turn into settings.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables("DET_");
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddCommandLine(CommandLineSwitches.Normalize(args), CommandLineSwitches.Mappings);

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        var services = builder.Services;
        services.AddOptions<AgentOptions>().Bind(builder.Configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        var grace = (builder.Configuration.Get<AgentOptions>() ?? new AgentOptions()).KillGrace;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MasterClient>();
        services.AddSingleton<SlotDiscovery>();
        services.AddSingleton<LogShipper>();
        services.AddSingleton<EventReporter>();
        services.AddSingleton<WorkDirectories>();
        services.AddSingleton<TaskSandbox>();
        services.AddSingleton<ProcessLauncher>();
        services.AddSingleton<TaskSupervisor>();
        // Stopped in reverse order: the worker first (it kills the tasks and waits for their exits to be reported), then the reporters.
        services.AddHostedService(sp => sp.GetRequiredService<LogShipper>());
        services.AddHostedService(sp => sp.GetRequiredService<EventReporter>());
        services.AddHostedService<AgentWorker>();
        return builder.Build();
    }
}
