using Determinant.Master.Checkpoints;
using Determinant.Master.Trials;

namespace Determinant.Master.Experiments;

/// <summary>Registers the request-scoped services of the experiment, trial and checkpoint routes.</summary>
internal static class ExperimentServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddScoped<ExperimentCreation>();
        services.AddSingleton<TrialClassCompiler>();
        services.AddSingleton<CompilerWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<CompilerWarmUp>());
        services.AddScoped<ExperimentQueries>();
        services.AddScoped<ExperimentActions>();
        services.AddScoped<TrialQueries>();
        services.AddScoped<CheckpointQueries>();
    }
}
