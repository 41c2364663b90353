using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Tasks;

/// <summary>Registers the task layer: the allocation service, its stop signals, delayed kills and task services.</summary>
internal static class TaskServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<PreemptionSignals>();
        services.AddSingleton<DelayedKills>();
        services.AddSingleton<MasterAddress>();
        services.AddSingleton<TaskServiceRegistry>();
        services.AddSingleton<TaskActivity>();
        services.AddHttpForwarder();
        services.AddSingleton<AllocationService>();
        services.AddSingleton<IAllocationEvents>(sp => sp.GetRequiredService<AllocationService>());
    }
}
