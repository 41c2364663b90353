using Determinant.Master.Tasks;

namespace Determinant.Master.Commands;

/// <summary>Registers the owner of commands (and later notebooks and TensorBoards) and its recovery at start.</summary>
internal static class CommandServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<CommandSpecs>();
        services.AddSingleton<CommandService>();
        services.AddSingleton<ITaskOwner>(sp => sp.GetRequiredService<CommandService>());
        services.AddHostedService<CommandRecovery>();
        services.AddHostedService<IdleWatcher>();
    }
}
