using Determinant.Master.Domain;
using Determinant.Master.Checkpoints;
using Determinant.Master.Tasks;

namespace Determinant.Master.Controller;

/// <summary>Registers the experiment controller and its collaborators.</summary>
internal static class ControllerServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<ExperimentLocks>();
        services.AddSingleton<ExperimentConfigCache>();
        services.AddSingleton<SearcherCache>();
        services.AddSingleton<CheckpointCollector>();
        services.AddSingleton<ExperimentController>();
        services.AddSingleton<TrialTaskSpecs>();
        services.AddSingleton<ITaskOwner, TrialTaskOwner>();
        services.AddHostedService<TrialRecovery>();
    }
}
