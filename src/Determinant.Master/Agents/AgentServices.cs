using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Agents;

/// <summary>Registers the agents' resource manager: the agent protocol, the scheduler and the launch path.</summary>
internal static class AgentServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<IAgentPlacements>(s => s.GetRequiredService<AgentRegistry>());
        services.AddSingleton<AllocationTimeline>();
        services.AddSingleton<AgentResourceManager>();
        services.AddSingleton<IResourceManager>(sp => sp.GetRequiredService<AgentResourceManager>());
        services.AddSingleton<AllocationExits>();
        services.AddSingleton<AgentLauncher>();
        services.AddSingleton<SchedulingPass>();
        services.AddHostedService<SchedulingLoop>();
        services.AddHostedService<AgentRecovery>();
        services.AddSingleton<AgentMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentMonitor>());
        services.AddScoped<AgentRegistration>();
        services.AddScoped<AllocationEvents>();
    }
}
