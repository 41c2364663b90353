using Determinant.Master.Auth;
using Determinant.Master.Controller;
using Determinant.Master.Scheduling;

namespace Determinant.Master.Agents;

/// <summary>Registers the agent protocol, the scheduler and the launch path.</summary>
internal static class AgentServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<AgentToken>();
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<AllocationTimeline>();
        services.AddSingleton<AgentTrialScheduler>();
        services.AddSingleton<ITrialScheduler>(sp => sp.GetRequiredService<AgentTrialScheduler>());
        services.AddSingleton<AllocationExits>();
        services.AddSingleton<MasterAddress>();
        services.AddSingleton<LaunchCommandBuilder>();
        services.AddSingleton<TrialLauncher>();
        services.AddSingleton<SchedulingPass>();
        services.AddHostedService<SchedulingLoop>();
        services.AddHostedService<SchedulerRecovery>();
        services.AddSingleton<AgentMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentMonitor>());
        services.AddScoped<AgentRegistration>();
        services.AddScoped<AllocationEvents>();
    }
}
